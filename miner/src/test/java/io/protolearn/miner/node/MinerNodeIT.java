package io.protolearn.miner.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.contracts.RunManager;
import io.protolearn.chain.deploy.RunConfig;
import io.protolearn.chain.local.AnvilNode;
import io.protolearn.chain.local.LocalChain;
import io.protolearn.chain.model.CommitmentInfo;
import io.protolearn.miner.MinerCommand;
import io.protolearn.node.http.RequestSigner;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.training.model.HeldOutLoss;
import io.protolearn.training.spec.RunSpecs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Two stages × two miners, each its own {@code miner run} process, training the devnet model over
 * real HTTP on 127.0.0.1 against a local chain mining a block a second: every miner commits every
 * round, the held-out loss of the aggregated model goes down, and shares are claimed.
 */
class MinerNodeIT {
  static final BigInteger ETHER = BigInteger.TEN.pow(18);
  static final int MINERS = 4;

  @TempDir Path dir;

  /** Short windows: commit 12 blocks, check 2, vote 2 (a round is 16 s at a block a second). */
  static RunConfig config() {
    RunManager.Params p = RunConfig.devnetParams();
    RunManager.Params fast =
        new RunManager.Params(
            p.minMinerStake,
            p.minValidatorStake,
            p.sampleRateBps,
            p.slashBps,
            p.challengeBond,
            p.jurorCount,
            p.jurorBond,
            BigInteger.valueOf(12),
            BigInteger.valueOf(2),
            BigInteger.valueOf(2),
            p.sharesPerRound,
            p.validatorShareBps,
            p.unbondingBlocks);
    return RunConfig.devnet(RunSpecs.devnet().hashes(), 16).withParams(fast);
  }

  @Test
  void shouldTrainCommitAggregateAndClaimAcrossFourProcesses() throws Exception {
    List<Process> children = new ArrayList<>();
    try (LocalChain chain = LocalChain.start(AnvilNode.Options.forTests(), config())) {
      Path deployment = dir.resolve("deployment.json");
      chain.deployment().save(deployment);
      Path password = dir.resolve("password");
      Files.writeString(password, "pw\n");
      List<String> addresses = new ArrayList<>();
      for (int i = 1; i <= MINERS; i++) {
        int stage = (i - 1) % 2;
        String endpoint = "http://127.0.0.1:" + freePort();
        try (ProtocolClient c =
            ProtocolClient.connect(chain.deployment(), chain.account(i), Duration.ofMillis(20))) {
          c.staking().stake(ETHER.multiply(BigInteger.TWO));
          c.runs().joinAsMiner(stage, endpoint);
          addresses.add(c.address());
        }
        importKey(chain, i, password);
      }
      // from here on the chain keeps time by itself: a block a second
      new Request<>(
              "evm_setIntervalMining",
              List.of(1),
              new HttpService(chain.node().rpcUrl()),
              VoidResponse.class)
          .send();
      for (int i = 1; i <= MINERS; i++) {
        children.add(startMiner(i, deployment, password));
      }

      long firstRound;
      try (ProtocolClient reader =
          ProtocolClient.connect(chain.deployment(), chain.account(0), Duration.ofMillis(50))) {
        long joinedFrom = reader.runs().memberOf(addresses.get(0)).fromRound();
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        // the processes start (engine load on a small machine) some rounds after joining; their
        // first round together warms the engines up (it may commit fewer steps): count from the
        // next
        long warmUp = -1;
        while (System.nanoTime() < deadline && warmUp < 0) {
          assertAlive(children);
          long current = reader.runs().currentRound();
          for (long r = joinedFrom; r <= current && warmUp < 0; r++) {
            warmUp = allCommitted(reader, addresses, r) ? r : -1;
          }
          Thread.sleep(1000);
        }
        assertThat(warmUp)
            .as("a round all four miners committed; logs:%n%s", logs())
            .isNotNegative();
        firstRound = warmUp + 1;
        long wanted = firstRound + 3; // four rounds trained, three of them claimable
        while (System.nanoTime() < deadline && !allClaimed(reader, addresses, wanted)) {
          assertAlive(children);
          Thread.sleep(1000);
        }
        assertThat(allClaimed(reader, addresses, wanted)).as("logs:%n%s", logs()).isTrue();
        for (String a : addresses) {
          for (long r = firstRound; r <= wanted; r++) {
            CommitmentInfo ci = reader.runs().commitmentOf(r, a);
            assertThat(ci.committed())
                .as("%s committed round %d; logs:%n%s", a, r, logs())
                .isTrue();
            assertThat(ci.stepCount()).isEqualTo(RunSpecs.devnet().train().innerSteps());
          }
          assertThat(reader.shares().balanceOf(a)).as("shares of %s", a).isPositive();
        }
      }
      assertHeldOutLossDecreases(firstRound - 1); // from the warm-up round's base
      assertThat(Files.readString(dir.resolve("miner-1.log")))
          .contains("round " + firstRound + " step 1/4")
          .containsPattern("round " + firstRound + " \\| lane \\d stage 0 \\| loss - \\| steps 4/4")
          .contains("claimed ");
      crashMinerOneMidTrainingAndRestart(
          chain, children, addresses, deployment, password, firstRound);
      crashMinerTwoBetweenCommitSentAndMined(chain, children, addresses, deployment, password);
    } finally {
      for (Process p : children) {
        p.destroyForcibly();
        p.waitFor();
      }
    }
  }

  private void assertAlive(List<Process> children) {
    for (Process p : children) {
      assertThat(p.isAlive()).as("miner process alive; logs:%n%s", logs()).isTrue();
    }
  }

  private static boolean allCommitted(ProtocolClient reader, List<String> miners, long round) {
    return miners.stream().allMatch(a -> reader.runs().commitmentOf(round, a).committed());
  }

  /**
   * kill -9 of miner 1 in the middle of a round's steps, then a restart on the same data: the
   * interrupted round is not trained again, later rounds are committed, nothing is committed twice
   * and a round committed before the crash is still served to a stage peer.
   */
  private void crashMinerOneMidTrainingAndRestart(
      LocalChain chain,
      List<Process> children,
      List<String> addresses,
      Path deployment,
      Path password,
      long servedRound)
      throws Exception {
    Path log = dir.resolve("miner-1.log");
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    // kill -9 as soon as a new round's first step is logged: mid-training or, when the tiny
    // model's steps beat the poll, after the commit; both must come back cleanly
    java.util.regex.Pattern firstStep = java.util.regex.Pattern.compile("^round (\\d+) step 1/4$");
    long seen = Files.readAllLines(log).size();
    long crashed = -1;
    while (crashed < 0 && System.nanoTime() < deadline) {
      List<String> lines = Files.readAllLines(log);
      for (int i = (int) seen; i < lines.size() && crashed < 0; i++) {
        var m = firstStep.matcher(lines.get(i));
        if (m.matches()) {
          crashed = Long.parseLong(m.group(1));
        }
      }
      seen = lines.size();
      if (crashed < 0) {
        Thread.sleep(5);
      }
    }
    assertThat(crashed).as("miner 1 started a round's steps").isNotNegative();
    children.get(0).destroyForcibly().waitFor();
    RoundJournal beforeRestart = new RoundJournal(dir.resolve("miner-1"));
    System.out.printf(
        "killed miner 1 in round %d: trained %s, committed %s%n",
        crashed, beforeRestart.trained(crashed).isPresent(), beforeRestart.committed(crashed));
    Files.move(log, dir.resolve("miner-1-before-crash.log"));
    children.set(0, startMiner(1, deployment, password));
    // miner 3 (stage 0, the other lane) is killed right after its commit of a round
    Path log3 = dir.resolve("miner-3.log");
    java.util.regex.Pattern summary =
        java.util.regex.Pattern.compile("^round (\\d+) \\| lane .* \\| commit 0x.*");
    long committed3 = -1;
    long seen3 = 0;
    while (committed3 < crashed && System.nanoTime() < deadline) {
      List<String> lines = Files.readAllLines(log3);
      for (int i = (int) seen3; i < lines.size(); i++) {
        var m = summary.matcher(lines.get(i));
        if (m.matches()) {
          committed3 = Long.parseLong(m.group(1));
        }
      }
      seen3 = lines.size();
      if (committed3 < crashed) {
        Thread.sleep(5);
      }
    }
    children.get(2).destroyForcibly().waitFor();
    System.out.printf("killed miner 3 after its commit of round %d%n", committed3);
    Files.move(log3, dir.resolve("miner-3-before-crash.log"));
    children.set(2, startMiner(3, deployment, password));
    String me = addresses.get(0);
    try (ProtocolClient reader =
        ProtocolClient.connect(chain.deployment(), chain.account(0), Duration.ofMillis(50))) {
      long after = crashed + 2;
      while (System.nanoTime() < deadline && !reader.runs().commitmentOf(after, me).committed()) {
        Thread.sleep(1000);
      }
      String three = addresses.get(2);
      while (System.nanoTime() < deadline
          && !reader.runs().commitmentOf(after, three).committed()) {
        Thread.sleep(1000);
      }
      assertThat(reader.runs().commitmentOf(after, me).committed())
          .as("miner 1 commits again after its restart; logs:%n%s", logs())
          .isTrue();
      assertThat(reader.runs().commitmentOf(after, three).committed())
          .as("miner 3 commits again after its restart; logs:%n%s", logs())
          .isTrue();
      String restarted3 = Files.readString(dir.resolve("miner-3.log"));
      assertThat(restarted3)
          .as("miner 3 neither trains nor commits its committed round again")
          .doesNotContain("round " + committed3 + " step ")
          .doesNotContain(
              "commit refused"); // a second commit of the round, refused by the contract
      if (restarted3.contains("round " + committed3 + ": trained before a restart")) {
        // restarted within the round it had committed: the journal says so, nothing is sent
        assertThat(restarted3)
            .contains("round " + committed3 + ": trained before a restart; commit done before");
      }
      RoundJournal journal = new RoundJournal(dir.resolve("miner-1"));
      assertThat(journal.started(crashed)).isTrue();
      if (!reader.runs().commitmentOf(crashed, me).committed()) {
        assertThat(journal.trained(crashed)).as("interrupted mid-training").isEmpty();
      }
      String restarted = Files.readString(log);
      assertThat(restarted)
          .as("the interrupted round is not trained a second time")
          .doesNotContain("round " + crashed + " step ")
          .doesNotContain(
              "commit refused"); // a second commit of the round, refused by the contract
      // a round committed before the crash is still served, to a stage peer (miner 3)
      Secp256k1.KeyPair stagePeer =
          Secp256k1.fromPrivateKey(chain.account(3).getEcKeyPair().getPrivateKey());
      String endpoint = reader.runs().memberOf(me).endpoint();
      String path = "/v1/rounds/" + servedRound + "/commitment";
      java.net.http.HttpRequest.Builder b =
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(endpoint + path)).GET();
      new RequestSigner(stagePeer).headers("GET", path, new byte[0]).forEach(b::header);
      var response =
          java.net.http.HttpClient.newHttpClient()
              .send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      io.vertx.core.json.JsonObject c = new io.vertx.core.json.JsonObject(response.body());
      Commitment served =
          new Commitment(
              Bytes32.fromHex(c.getString("root")),
              c.getLong("stepCount"),
              Bytes32.fromHex(c.getString("deltaHash")),
              Bytes32.fromHex(c.getString("baseHash")));
      assertThat(reader.runs().commitmentMatches(servedRound, me, served)).isTrue();
    }
  }

  /**
   * kill -9 of miner 2 while its commit transaction waits in the node's pool: the test stops the
   * chain's clock and mines the blocks itself, so the commit cannot be mined before the kill. The
   * restarted miner sends the very same signed transaction again (no second commit is signed), and
   * once blocks resume it is mined once: the round is committed by that transaction.
   */
  private void crashMinerTwoBetweenCommitSentAndMined(
      LocalChain chain,
      List<Process> children,
      List<String> addresses,
      Path deployment,
      Path password)
      throws Exception {
    HttpService rpc = new HttpService(chain.node().rpcUrl());
    new Request<>("evm_setIntervalMining", List.of(0), rpc, VoidResponse.class).send();
    Path rounds = dir.resolve("miner-2").resolve("rounds");
    java.util.Set<String> before = new java.util.HashSet<>(List.of(rounds.toFile().list()));
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    Path signed = null;
    String txHash = null;
    while (txHash == null && System.nanoTime() < deadline) {
      assertAlive(children);
      for (String f : rounds.toFile().list()) {
        if (f.endsWith(".commit-tx.json") && !before.contains(f)) {
          signed = rounds.resolve(f);
        }
      }
      if (signed != null) {
        String hash = new io.vertx.core.json.JsonObject(Files.readString(signed)).getString("hash");
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until && txHash == null) {
          var pending = chain.web3j().ethGetTransactionByHash(hash).send().getTransaction();
          txHash = pending.isPresent() ? hash : null;
          Thread.sleep(20);
        }
        assertThat(txHash).as("miner 2's commit %s reached the pool", hash).isNotNull();
      } else {
        chain.mine(1); // the chain's clock, a block a second, held by the test
        Thread.sleep(1000);
      }
    }
    assertThat(txHash).as("miner 2 sent a commit; logs:%n%s", logs()).isNotNull();
    assertThat(chain.web3j().ethGetTransactionReceipt(txHash).send().getTransactionReceipt())
        .as("not mined yet")
        .isEmpty();
    long round = Long.parseLong(signed.getFileName().toString().split("\\.")[0]);
    children.get(1).destroyForcibly().waitFor();
    System.out.printf("killed miner 2 with its commit of round %d in the pool%n", round);
    Path log2 = dir.resolve("miner-2.log");
    Files.move(log2, dir.resolve("miner-2-before-commit-crash.log"));
    children.set(1, startMiner(2, deployment, password));
    String resent = "round " + round + ": commit signed before a restart; sending it again";
    while (System.nanoTime() < deadline
        && !(Files.exists(log2) && Files.readString(log2).contains(resent))) {
      assertAlive(children);
      Thread.sleep(200);
    }
    assertThat(Files.readString(log2)).as("logs:%n%s", logs()).contains(resent);
    new Request<>("evm_setIntervalMining", List.of(1), rpc, VoidResponse.class).send();
    String me = addresses.get(1);
    try (ProtocolClient reader =
        ProtocolClient.connect(chain.deployment(), chain.account(0), Duration.ofMillis(50))) {
      while (System.nanoTime() < deadline && !reader.runs().commitmentOf(round, me).committed()) {
        Thread.sleep(500);
      }
      assertThat(reader.runs().commitmentOf(round, me).committed())
          .as("logs:%n%s", logs())
          .isTrue();
      var receipt = chain.web3j().ethGetTransactionReceipt(txHash).send().getTransactionReceipt();
      assertThat(receipt).as("the commit sent before the crash is the one mined").isPresent();
      assertThat(receipt.get().isStatusOK()).isTrue();
      while (System.nanoTime() < deadline
          && !new RoundJournal(dir.resolve("miner-2")).committed(round)) {
        Thread.sleep(200);
      }
      assertThat(Files.readString(rounds.resolve(round + ".committed"))).isEqualTo(txHash);
      assertThat(Files.readString(log2))
          .doesNotContain("commit refused")
          .doesNotContain("round " + round + " step ");
    }
  }

  /** Every miner claimed (or has nothing left to claim for) rounds up to {@code upTo - 1}. */
  private static boolean allClaimed(ProtocolClient reader, List<String> miners, long upTo) {
    for (String a : miners) {
      if (!reader.runs().commitmentOf(upTo - 1, a).claimed()) {
        return false;
      }
      if (!reader.runs().commitmentOf(upTo, a).committed()) {
        return false;
      }
    }
    return true;
  }

  private void assertHeldOutLossDecreases(long firstRound) throws Exception {
    RunSpecs specs = RunSpecs.devnet();
    // bases of each stage as the miners aggregated them, read from their journals
    Map<Long, Double> lossByRound = new TreeMap<>();
    RoundJournal stage0 = journalOfStage(0);
    RoundJournal stage1 = journalOfStage(1);
    try (HeldOutLoss eval = new HeldOutLoss(specs)) {
      for (long r = firstRound; ; r++) {
        Optional<io.protolearn.training.lane.OuterStep.OuterState> b0 = stage0.base(r);
        Optional<io.protolearn.training.lane.OuterStep.OuterState> b1 = stage1.base(r);
        if (b0.isEmpty() || b1.isEmpty()) {
          break;
        }
        lossByRound.put(r, eval.loss(List.of(b0.get().params(), b1.get().params())));
      }
    }
    System.out.println("held-out loss of the aggregated model by round: " + lossByRound);
    assertThat(lossByRound).as("held-out loss by round").hasSizeGreaterThanOrEqualTo(3);
    // the trend, not every round: an outer step with few inner steps can overshoot a little
    List<Double> losses = new ArrayList<>(lossByRound.values());
    double first = losses.get(0);
    for (double later : losses.subList(1, losses.size())) {
      assertThat(later).as("held-out loss by round %s", lossByRound).isLessThan(first);
    }
    assertThat(losses.get(losses.size() - 1))
        .as("held-out loss by round %s", lossByRound)
        .isLessThan(0.9 * first);
  }

  /** The journal of the first miner of a stage (miners 1, 3 train stage 0; 2, 4 stage 1). */
  private RoundJournal journalOfStage(int stage) {
    return new RoundJournal(dir.resolve("miner-" + (stage + 1)));
  }

  private void importKey(LocalChain chain, int i, Path password) throws Exception {
    Path key = dir.resolve("key-" + i);
    Files.writeString(
        key,
        Numeric.toHexStringWithPrefixZeroPadded(
            chain.account(i).getEcKeyPair().getPrivateKey(), 64));
    StringWriter err = new StringWriter();
    int code =
        MinerCommand.execute(
            Map.of(),
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "init",
            "--import-key",
            key.toString(),
            "--light-kdf",
            "--data-dir",
            dir.resolve("miner-" + i).toString(),
            "--password-file",
            password.toString());
    assertThat(code).as(err.toString()).isZero();
  }

  private Process startMiner(int i, Path deployment, Path password) throws Exception {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dai.djl.offline=true",
            "-Xmx512m",
            "-cp",
            classpath,
            MinerCommand.class.getName(),
            "run",
            "--deployment",
            deployment.toString(),
            "--data-dir",
            dir.resolve("miner-" + i).toString(),
            "--password-file",
            password.toString(),
            "--peer-timeout",
            "8",
            "--poll-ms",
            "200");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("miner-" + i + ".log").toFile());
    Map<String, String> env = pb.environment();
    // the run's reproducibility profile, as the launcher (bin/lib/launcher.sh) sets it
    var profile = RunSpecs.devnet().train().profile();
    env.put("OMP_WAIT_POLICY", "PASSIVE");
    env.put("MKL_CBWR", profile.mklCbwr());
    env.put("ATEN_CPU_CAPABILITY", profile.atenCpuCapability());
    env.put("OMP_NUM_THREADS", Integer.toString(profile.threads()));
    String cache = System.getenv("DJL_CACHE_DIR");
    if (cache != null) {
      env.put("DJL_CACHE_DIR", cache);
    }
    return pb.start();
  }

  private String logs() {
    StringBuilder out = new StringBuilder();
    for (int i = 1; i <= MINERS; i++) {
      Path log = dir.resolve("miner-" + i + ".log");
      try {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        out.append("---- miner ").append(i).append('\n');
        lines
            .subList(Math.max(0, lines.size() - 40), lines.size())
            .forEach(l -> out.append(l).append('\n'));
      } catch (java.io.IOException e) {
        out.append(e).append('\n');
      }
    }
    return out.toString();
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
