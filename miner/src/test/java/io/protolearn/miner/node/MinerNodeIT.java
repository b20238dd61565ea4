package io.protolearn.miner.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.contracts.RunManager;
import io.protolearn.chain.deploy.RunConfig;
import io.protolearn.chain.local.LocalChain;
import io.protolearn.chain.model.CommitmentInfo;
import io.protolearn.miner.MinerCommand;
import io.protolearn.node.http.RequestSigner;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.round.Availability;
import io.protolearn.protocol.round.RoundClock;
import io.protolearn.testing.ChildJvm;
import io.protolearn.testing.CliHarness;
import io.protolearn.testing.Ports;
import io.protolearn.testing.chain.LocalChainExtension;
import io.protolearn.testing.chain.NodeKeys;
import io.protolearn.training.model.HeldOutLoss;
import io.protolearn.training.spec.RunSpecs;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * Two stages × two miners, each its own {@code miner run} process, training the devnet model over
 * real HTTP on 127.0.0.1 against a local chain mining a block a second: every miner commits every
 * round, the held-out loss of the aggregated model goes down, and shares are claimed.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class MinerNodeIT {
  static final BigInteger ETHER = BigInteger.TEN.pow(18);
  static final int MINERS = 4;
  private static final CliHarness CLI =
      CliHarness.of("miner", (out, err, args) -> MinerCommand.execute(Map.of(), out, err, args));

  @RegisterExtension
  final LocalChainExtension chainExtension = LocalChainExtension.withRun(config());

  @TempDir Path dir;

  /**
   * Short windows: commit 12 blocks, check 4, vote 2 (a round is 18 s at a block a second). No
   * validator runs: the miners draw each round's seed in its check window themselves, or the round
   * would be unchecked and pay nobody.
   */
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
            BigInteger.valueOf(4),
            BigInteger.valueOf(2),
            p.sharesPerRound,
            p.validatorShareBps,
            p.unbondingBlocks);
    return RunConfig.devnet(RunSpecs.devnet().hashes(), 16).withParams(fast);
  }

  @Test
  void shouldTrainCommitAggregateAndClaimAcrossFourProcesses() throws Exception {
    List<Process> children = new ArrayList<>();
    LocalChain chain = chainExtension.chain();
    Thread attesting = null;
    try {
      Path deployment = dir.resolve("deployment.json");
      chain.deployment().save(deployment);
      Path password = dir.resolve("password");
      Files.writeString(password, "pw\n");
      List<String> addresses = new ArrayList<>();
      for (int i = 1; i <= MINERS; i++) {
        int stage = (i - 1) % 2;
        // registered on chain before the node starts, so the port is named first
        String endpoint = "http://127.0.0.1:" + Ports.unused();
        try (ProtocolClient c =
            ProtocolClient.connect(chain.deployment(), chain.account(i), Duration.ofMillis(20))) {
          c.staking().stake(ETHER.multiply(BigInteger.TWO));
          c.runs().joinAsMiner(stage, endpoint);
          addresses.add(c.address());
        }
        importKey(chain, i, password);
      }
      // one validator, so that rounds have attestations: a lane is aggregated only when its
      // members were available on a majority of them (DESIGN §7 v2). It marks every committed
      // miner available (what an honest validator finds of honest miners) and checks nothing.
      ProtocolClient validator =
          ProtocolClient.connect(
              chain.deployment(), chain.account(MINERS + 1), Duration.ofMillis(20));
      validator.staking().stake(ETHER.multiply(BigInteger.TWO));
      validator.runs().registerValidator("http://127.0.0.1:" + Ports.unused());
      attesting = attestEveryRound(validator);
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
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        // the processes start (engine load on a small machine) some rounds after joining; their
        // first round together warms the engines up (it may commit fewer steps): count from the
        // next
        long warmUp =
            await(
                    "a round all four miners committed",
                    deadline,
                    Duration.ofSeconds(1),
                    () -> {
                      assertAlive(children);
                      return firstAllCommitted(reader, addresses, joinedFrom);
                    },
                    OptionalLong::isPresent)
                .getAsLong();
        firstRound = warmUp + 1;
        long wanted = firstRound + 3; // four rounds trained, three of them claimable
        await(
            "every miner claimed rounds up to " + (wanted - 1),
            deadline,
            Duration.ofSeconds(1),
            () -> {
              assertAlive(children);
              return allClaimed(reader, addresses, wanted);
            },
            Boolean::booleanValue);
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
      if (attesting != null) {
        attesting.interrupt();
      }
      for (Process p : children) {
        p.destroyForcibly();
        p.waitFor();
      }
    }
  }

  /**
   * Polls {@code probe} until {@code done} holds of its value, or fails at {@code deadline} with
   * the miners' logs; an assertion failing inside the probe fails at once.
   */
  private <T> T await(
      String what, Instant deadline, Duration poll, Callable<T> probe, Predicate<T> done) {
    try {
      return Awaitility.await(what)
          .atMost(Duration.between(Instant.now(), deadline).plusMillis(1))
          .pollInterval(poll)
          .until(probe, done::test);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; logs:\n" + logs(), e);
    }
  }

  /** The first round from {@code from} on that every miner committed. */
  /**
   * Attests every round in its check window, once its seed is drawn (the miners draw it), marking
   * every miner that committed available; a daemon thread that ends with the test's JVM.
   */
  private static Thread attestEveryRound(ProtocolClient validator) {
    Thread t =
        new Thread(
            () -> {
              long round = validator.runs().memberOf(validator.address()).fromRound();
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  RoundClock clock = validator.runs().clock(round);
                  long head = validator.blockNumber();
                  if (head > clock.checkEnd()) {
                    round++;
                    continue;
                  }
                  if (!validator.runs().seedOf(round).equals(Bytes32.ZERO)) {
                    long r = round;
                    List<Address> order = validator.runs().roundOrder(r);
                    List<Address> committed =
                        order.stream()
                            .filter(m -> validator.runs().commitmentOf(r, m.toHex()).committed())
                            .toList();
                    validator
                        .runs()
                        .attest(r, Bytes32.ZERO, 0, Availability.encode(order, committed));
                    round++;
                    continue;
                  }
                  Thread.sleep(200);
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException e) {
                  // a refused or failed attestation: the next round is attested all the same
                  round++;
                  try {
                    Thread.sleep(200);
                  } catch (InterruptedException stop) {
                    return;
                  }
                }
              }
            },
            "attesting-validator");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static OptionalLong firstAllCommitted(
      ProtocolClient reader, List<String> miners, long from) {
    long current = reader.runs().currentRound();
    return LongStream.rangeClosed(from, current)
        .filter(r -> allCommitted(reader, miners, r))
        .findFirst();
  }

  /** The round of the first line from index {@code from} on that {@code line} matches. */
  private static OptionalLong roundInLog(Path log, int from, Pattern line) throws IOException {
    List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
    return lines.subList(Math.min(from, lines.size()), lines.size()).stream()
        .map(line::matcher)
        .filter(Matcher::matches)
        .mapToLong(m -> Long.parseLong(m.group(1)))
        .findFirst();
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
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    // kill -9 as soon as a new round's first step is logged (the node tells the moment a step
    // starts nowhere else): mid-training or, when the tiny model's steps beat the poll, after the
    // commit; both must come back cleanly
    Pattern firstStep = Pattern.compile("^round (\\d+) step 1/4$");
    int seen = Files.readAllLines(log).size();
    long crashed =
        await(
                "miner 1 started a round's steps",
                deadline,
                Duration.ofMillis(5),
                () -> roundInLog(log, seen, firstStep),
                OptionalLong::isPresent)
            .getAsLong();
    children.get(0).destroyForcibly().waitFor();
    RoundJournal beforeRestart = new RoundJournal(dir.resolve("miner-1"));
    System.out.printf(
        "killed miner 1 in round %d: trained %s, committed %s%n",
        crashed, beforeRestart.trained(crashed).isPresent(), beforeRestart.committed(crashed));
    Files.move(log, dir.resolve("miner-1-before-crash.log"));
    children.set(0, startMiner(1, deployment, password));
    // miner 3 (stage 0, the other lane) is killed right after its commit of a round is mined
    Path log3 = dir.resolve("miner-3.log");
    String three = addresses.get(2);
    long committed3;
    try (ProtocolClient reader =
        ProtocolClient.connect(chain.deployment(), chain.account(0), Duration.ofMillis(50))) {
      await(
          "miner 3 committed round " + crashed,
          deadline,
          Duration.ofMillis(5),
          () -> reader.runs().commitmentOf(crashed, three).committed(),
          Boolean::booleanValue);
      children.get(2).destroyForcibly().waitFor();
      long last = crashed;
      while (reader.runs().commitmentOf(last + 1, three).committed()) {
        last++;
      }
      committed3 = last;
    }
    System.out.printf("killed miner 3 after its commit of round %d%n", committed3);
    Files.move(log3, dir.resolve("miner-3-before-crash.log"));
    children.set(2, startMiner(3, deployment, password));
    String me = addresses.get(0);
    try (ProtocolClient reader =
        ProtocolClient.connect(chain.deployment(), chain.account(0), Duration.ofMillis(50))) {
      long after = crashed + 2;
      await(
          "miners 1 and 3 commit round " + after + " after their restarts",
          deadline,
          Duration.ofSeconds(1),
          () ->
              reader.runs().commitmentOf(after, me).committed()
                  && reader.runs().commitmentOf(after, three).committed(),
          Boolean::booleanValue);
      String restarted3 = Files.readString(dir.resolve("miner-3.log"));
      assertThat(restarted3)
          .as("miner 3 neither trains nor commits its committed round again")
          .doesNotContain("round " + committed3 + " step ")
          .doesNotContain(
              "commit refused"); // a second commit of the round, refused by the contract
      if (restarted3.contains("round " + committed3 + ": trained before a restart")) {
        // restarted within the round it had committed: the journal says so, or (killed between
        // the receipt and the journal write) the chain does; either way nothing is sent again
        assertThat(restarted3)
            .containsAnyOf(
                "round " + committed3 + ": trained before a restart; commit done before",
                "round " + committed3 + ": trained before a restart; commit found on chain");
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
      new RequestSigner(stagePeer, reader.deployment().chainId())
          .headers(Address.fromHex(me), "GET", path, new byte[0])
          .forEach(b::header);
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
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    Path signed =
        await(
                "miner 2 signed a commit",
                deadline,
                Duration.ofSeconds(1),
                () -> {
                  assertAlive(children);
                  Optional<Path> f = newSignedCommit(rounds, before);
                  if (f.isEmpty()) {
                    chain.mine(1); // the chain's clock, a block a second, held by the test
                  }
                  return f;
                },
                Optional::isPresent)
            .get();
    String txHash = new io.vertx.core.json.JsonObject(Files.readString(signed)).getString("hash");
    await(
        "miner 2's commit " + txHash + " reached the pool",
        Instant.now().plusSeconds(10),
        Duration.ofMillis(20),
        () -> chain.web3j().ethGetTransactionByHash(txHash).send().getTransaction().isPresent(),
        Boolean::booleanValue);
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
    // only the log tells a resent transaction from the one already in the pool
    await(
        "miner 2 sends its signed commit again",
        deadline,
        Duration.ofMillis(200),
        () -> {
          assertAlive(children);
          return Files.exists(log2) && Files.readString(log2).contains(resent);
        },
        Boolean::booleanValue);
    new Request<>("evm_setIntervalMining", List.of(1), rpc, VoidResponse.class).send();
    String me = addresses.get(1);
    try (ProtocolClient reader =
        ProtocolClient.connect(chain.deployment(), chain.account(0), Duration.ofMillis(50))) {
      await(
          "miner 2's round " + round + " committed",
          deadline,
          Duration.ofMillis(500),
          () -> reader.runs().commitmentOf(round, me).committed(),
          Boolean::booleanValue);
      var receipt = chain.web3j().ethGetTransactionReceipt(txHash).send().getTransactionReceipt();
      assertThat(receipt).as("the commit sent before the crash is the one mined").isPresent();
      assertThat(receipt.get().isStatusOK()).isTrue();
      await(
          "miner 2's journal records the commit",
          deadline,
          Duration.ofMillis(200),
          () -> new RoundJournal(dir.resolve("miner-2")).committed(round),
          Boolean::booleanValue);
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
    CLI.ok(
        NodeKeys.importInit(
            chain.account(i), dir.resolve("key-" + i), dir.resolve("miner-" + i), password));
  }

  /** The signed commit transaction a miner wrote since {@code before} was listed, if any. */
  private static Optional<Path> newSignedCommit(Path rounds, java.util.Set<String> before) {
    return java.util.Arrays.stream(rounds.toFile().list())
        .filter(f -> f.endsWith(".commit-tx.json") && !before.contains(f))
        .map(rounds::resolve)
        .reduce((first, second) -> second);
  }

  private Process startMiner(int i, Path deployment, Path password) throws Exception {
    // the run's reproducibility profile, as the launcher (bin/lib/launcher.sh) sets it
    var profile = RunSpecs.devnet().train().profile();
    return ChildJvm.of(MinerCommand.class)
        .jvmArgs("-Xmx512m")
        .env(
            Map.of(
                "MKL_CBWR",
                profile.mklCbwr(),
                "ATEN_CPU_CAPABILITY",
                profile.atenCpuCapability(),
                "OMP_NUM_THREADS",
                Integer.toString(profile.threads())))
        .logTo(dir.resolve("miner-" + i + ".log"))
        .args(
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
            "200",
            // no metrics server: its port, picked by the kernel, could be one the test chose for a
            // miner that has not bound it yet
            "--metrics-port",
            "-1")
        .start();
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
}
