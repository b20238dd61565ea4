package io.protolearn.devnet;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.contracts.RunManager;
import io.protolearn.chain.deploy.RunConfig;
import io.protolearn.chain.events.ChainEvent;
import io.protolearn.chain.events.EventFeed;
import io.protolearn.chain.local.AnvilNode;
import io.protolearn.chain.local.LocalChain;
import io.protolearn.chain.model.CommitmentInfo;
import io.protolearn.devnet.demo.AdversaryPlan;
import io.protolearn.devnet.demo.BlockClock;
import io.protolearn.devnet.demo.ChainLedger;
import io.protolearn.devnet.demo.DemoReport;
import io.protolearn.devnet.demo.NodeProcesses;
import io.protolearn.miner.MinerCommand;
import io.protolearn.miner.node.RoundJournal;
import io.protolearn.protocol.round.RoundClock;
import io.protolearn.training.lane.OuterStep.OuterState;
import io.protolearn.training.model.HeldOutLoss;
import io.protolearn.training.spec.CanonicalJson;
import io.protolearn.training.spec.RunSpecs;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.validator.ValidatorCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.web3j.utils.Numeric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/devnet demo}: a local chain, S×R miners and V validators, each its own process with
 * its own keystore and data folder, for N rounds; then a report (JSON and one self-contained HTML
 * page). Adversaries ({@code --adversaries}) are extra participants running the real nodes with one
 * behaviour swapped ({@link AdversaryPlan}).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the protocol locally: start a chain (a block a second), deploy the devnet run, start"
          + " S×R miners and V validators as their own processes (each its own keystore, data"
          + " folder and log), run N rounds printing one line per round, stop everything and"
          + " write report.json and report.html into the demo folder.",
      "Adversaries (--adversaries) are extra participants: the real nodes with one behaviour"
          + " swapped (lazy, copycat, corrupt, withholder, stale-base miners; a lazy validator)."
    })
final class DemoCommand implements Callable<Integer> {
  static final BigInteger ETHER = BigInteger.TEN.pow(18);
  static final BigInteger STAKE = ETHER.multiply(BigInteger.TWO);
  static final String MARKER = ".protolearn-demo";

  @Option(
      names = "--dir",
      defaultValue = ".devnet/demo",
      description =
          "Demo folder: chain log, nodes' data and logs, report (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(
      names = "--stages",
      defaultValue = "2",
      description = "Pipeline stages S; the devnet model has 2 (default: ${DEFAULT-VALUE}).")
  int stages;

  @Option(
      names = "--replicas",
      defaultValue = "2",
      description = "Miners per stage R, i.e. lanes (default: ${DEFAULT-VALUE}).")
  int replicas;

  @Option(
      names = "--validators",
      defaultValue = "3",
      description = "Validators V (default: ${DEFAULT-VALUE}).")
  int validators;

  @Option(
      names = "--rounds",
      defaultValue = "4",
      description = "Rounds N to run and report (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--adversaries",
      defaultValue = "all",
      description =
          "Extra dishonest participants (real nodes with one behaviour swapped): none, or a"
              + " comma list of lazy, copycat, corrupt, withholder, stale-base, lazy-validator, crash, or all"
              + " (default: ${DEFAULT-VALUE}).")
  String adversaries;

  @Option(
      names = "--sample-rate-bps",
      defaultValue = "-1",
      hidden = true,
      description = "sampleRateBps (default: 1000, or 5000 with adversaries).")
  int sampleRateBps;

  @Option(
      names = "--commit-blocks",
      defaultValue = "12",
      hidden = true,
      description = "Blocks of a round's commit window (default: ${DEFAULT-VALUE}).")
  int commitBlocks;

  @Option(
      names = "--check-blocks",
      defaultValue = "12",
      hidden = true,
      description = "Blocks of a round's check window (default: ${DEFAULT-VALUE}).")
  int checkBlocks;

  @Option(
      names = "--block-ms",
      defaultValue = "1000",
      hidden = true,
      description = "Milliseconds per block once the nodes run (default: ${DEFAULT-VALUE}).")
  int blockMillis;

  @Option(
      names = "--vote-blocks",
      defaultValue = "10",
      hidden = true,
      description = "Blocks of a round's vote window (default: ${DEFAULT-VALUE}).")
  int voteBlocks;

  private final PrintWriter out = new PrintWriter(System.out, true);

  @Override
  public Integer call() throws Exception {
    RunSpecs specs = RunSpecs.devnet();
    if (stages != specs.stages()) {
      throw new IllegalArgumentException(
          "--stages must be "
              + specs.stages()
              + ": the devnet model has "
              + specs.stages()
              + " pipeline stages, got "
              + stages);
    }
    if (replicas < 1 || replicas > 8) {
      throw new IllegalArgumentException("--replicas must be in 1..8, got " + replicas);
    }
    if (validators < 1 || validators > 8) {
      throw new IllegalArgumentException("--validators must be in 1..8, got " + validators);
    }
    if (rounds < 1 || rounds > 200) {
      throw new IllegalArgumentException("--rounds must be in 1..200, got " + rounds);
    }
    if (commitBlocks < 4 || checkBlocks < 2 || voteBlocks < 2) {
      throw new IllegalArgumentException(
          "need --commit-blocks >= 4, --check-blocks >= 2, --vote-blocks >= 2");
    }
    BlockClock.validate(blockMillis);
    AdversaryPlan plan = AdversaryPlan.parse(adversaries, stages);
    if (sampleRateBps == -1) {
      sampleRateBps = plan.any() ? 5000 : 1000;
    }
    if (sampleRateBps < 1 || sampleRateBps > 10_000) {
      throw new IllegalArgumentException("--sample-rate-bps must be in 1..10000");
    }
    prepareDir();
    int honestMiners = stages * replicas;
    int miners = honestMiners + plan.miners().size();
    int allValidators = validators + (plan.lazyValidator() ? 1 : 0);
    int accounts = Math.max(20, 1 + miners + allValidators);
    List<Participant> people = new ArrayList<>();
    Path nodes = Files.createDirectories(dir.resolve("nodes"));
    Path password = dir.resolve("password");
    Files.writeString(password, "protolearn demo\n");
    Path specsDir = writeSpecs(specs);
    Path deploymentFile = dir.resolve("deployment.json");

    out.printf(
        "devnet demo: %d stages × %d miners, %d validators, %d rounds; adversaries: %s%n",
        stages, replicas, validators, rounds, plan.any() ? adversaries : "none");
    RunConfig config = RunConfig.devnet(specs.hashes(), 16).withParams(params());
    long t0 = System.nanoTime();
    try (LocalChain chain =
            LocalChain.start(
                new AnvilNode.Options(0, 0, 31337, accounts, dir.resolve("anvil.log"), false),
                config);
        BlockClock blocks = new BlockClock();
        NodeProcesses processes = new NodeProcesses()) {
      Files.writeString(dir.resolve("anvil.pid"), Long.toString(chain.node().pid()));
      chain.deployment().save(deploymentFile);
      out.printf(
          "  chain at %s (pid %d), run %d deployed%n",
          chain.node().rpcUrl(), chain.node().pid(), chain.deployment().runId());
      // participants: keystores through the node CLIs, stake and membership through the SDK
      for (int i = 1; i <= miners; i++) {
        AdversaryPlan.Miner extra =
            i > honestMiners ? plan.miners().get(i - honestMiners - 1) : null;
        int stage = extra == null ? (i - 1) % stages : extra.stage();
        Participant p =
            new Participant("miner-" + i, "miner", stage, i, nodes.resolve("miner-" + i));
        if (extra != null) {
          p.kind = extra.kind();
          p.nodeFlag = extra.nodeFlag();
        }
        String endpoint = "http://127.0.0.1:" + freePort();
        try (ProtocolClient c =
            ProtocolClient.connect(chain.deployment(), chain.account(i), Duration.ofMillis(20))) {
          c.staking().stake(STAKE);
          c.runs().joinAsMiner(stage, endpoint);
          p.address = c.address();
        }
        initKeystore(true, chain, p, password);
        people.add(p);
      }
      for (int j = 1; j <= allValidators; j++) {
        int account = miners + j;
        Participant p =
            new Participant(
                "validator-" + j, "validator", -1, account, nodes.resolve("validator-" + j));
        if (j > validators) {
          p.kind = "lazy-validator";
          p.nodeFlag = "lazy";
        }
        try (ProtocolClient c =
            ProtocolClient.connect(
                chain.deployment(), chain.account(account), Duration.ofMillis(20))) {
          c.staking().stake(STAKE);
          c.runs().registerValidator("http://127.0.0.1:" + freePort());
          p.address = c.address();
        }
        initKeystore(false, chain, p, password);
        people.add(p);
      }
      for (Participant p : people) {
        List<String> args =
            new ArrayList<>(
                List.of(
                    "run",
                    "--deployment",
                    deploymentFile.toString(),
                    "--data-dir",
                    p.dataDir.toString(),
                    "--password-file",
                    password.toString(),
                    "--poll-ms",
                    Integer.toString(Math.min(200, blockMillis / 2))));
        if (p.nodeFlag != null) {
          args.addAll(List.of("--adversary", p.nodeFlag));
        }
        if (p.miner()) {
          args.addAll(List.of("--peer-timeout", "8"));
          processes.start(p.name, MinerCommand.class.getName(), args, p.log(nodes), "512m");
        } else {
          args.addAll(
              List.of(
                  "--specs",
                  specsDir.toString(),
                  "--block-time-ms",
                  Integer.toString(blockMillis)));
          processes.start(p.name, ValidatorCommand.class.getName(), args, p.log(nodes), "512m");
        }
      }
      for (NodeProcesses.Child c : processes.children()) {
        NodeProcesses.awaitLog(
            c,
            c.name().startsWith("miner") ? "listening on" : "running on run",
            Duration.ofMinutes(3));
      }
      // the nodes are up: from here on the chain keeps time, a block every --block-ms
      blocks.start(chain.node().rpcUrl(), blockMillis);
      out.printf(
          "  started %d miners and %d validators (logs in %s)%n", miners, allValidators, nodes);

      DemoReport report =
          new DemoReport(stages, replicas, validators, rounds, chain.deployment().runId());
      try (ProtocolClient reader =
              ProtocolClient.connect(chain.deployment(), chain.account(0), Duration.ofMillis(50));
          Losses losses = new Losses(specs, people)) {
        long first = 0;
        long earliest = Long.MAX_VALUE; // the ledger starts where anyone could first earn
        for (Participant p : people) {
          long from = reader.runs().memberOf(p.address).fromRound();
          first = Math.max(first, from);
          earliest = Math.min(earliest, from);
        }
        report.initialLoss = losses.initial();
        EventFeed feed =
            new EventFeed(
                chain.web3j(),
                List.of(
                    chain.deployment().contracts().disputeManager(),
                    chain.deployment().contracts().stakeManager()));
        long scanned = chain.deployment().deployBlock();
        for (long r = first; r < first + rounds; r++) {
          RoundClock clock = reader.runs().clock(r);
          long end = clock.voteEnd();
          if (r == first + 1) {
            for (Participant p : people) {
              if (p.kind.equals("crash")) {
                crashAndRestart(p, r, clock, reader, processes, nodes);
              }
            }
          }
          waitForBlock(reader, end + 1, processes);
          long head = reader.blockNumber();
          DemoReport.Round row = new DemoReport.Round(r);
          for (Participant p : people) {
            if (p.miner()) {
              CommitmentInfo ci = reader.runs().commitmentOf(r, p.address);
              if (ci.committed()) {
                row.committed.add(p.name);
                p.roundsCommitted++;
              }
              if (ci.convicted()) {
                row.convicted.add(p.name);
              }
            } else if (reader.runs().attestationOf(r, p.address).attested()) {
              row.attested.add(p.name);
            }
          }
          for (var e : feed.poll(scanned, head)) {
            if (e instanceof ChainEvent.ChallengeOpened c) {
              row.challenges++;
            } else if (e instanceof ChainEvent.Slashed s) {
              row.slashed.add(nameOf(people, s.account()));
            }
          }
          scanned = head + 1;
          // the miners aggregate the next base early in the next round's commit window
          long baseBy = reader.runs().clock(r + 1).commitDeadline();
          row.heldOutLoss = losses.after(r);
          while (row.heldOutLoss == null && reader.blockNumber() < baseBy) {
            checkAlive(processes);
            Thread.sleep(500);
            row.heldOutLoss = losses.after(r);
          }
          report.rounds.add(row);
          out.printf(
              "round %d | committed %d/%d | attestations %d/%d | challenges %d | slashes %d |"
                  + " held-out loss %s%n",
              r,
              row.committed.size(),
              miners,
              row.attested.size(),
              allValidators,
              row.challenges,
              row.slashed.size(),
              row.heldOutLoss == null ? "-" : String.format("%.4f", row.heldOutLoss));
        }
        // claims of the last rounds come after their vote windows: wait one more round for them
        long last = first + rounds - 1;
        long claimsBy = reader.runs().clock(last + 1).voteEnd() + 1;
        while (reader.blockNumber() < claimsBy
            && !(allClaimed(reader, people, last)
                && report.rounds.stream()
                    .allMatch(x -> x.heldOutLoss != null || losses.after(x.round) != null))) {
          checkAlive(processes);
          Thread.sleep(1000);
        }
        for (DemoReport.Round row : report.rounds) {
          if (row.heldOutLoss == null) {
            row.heldOutLoss = losses.after(row.round);
          }
        }
        // nothing changes on chain from here on: read the final state after every node stopped
        processes.close();
        Map<String, String> roles = new java.util.LinkedHashMap<>();
        people.forEach(p -> roles.put(p.address, p.role));
        ChainLedger.fill(
            report,
            reader,
            chain.web3j(),
            List.of(
                chain.deployment().contracts().runManager(),
                chain.deployment().contracts().disputeManager(),
                chain.deployment().contracts().stakeManager()),
            chain.deployment().deployBlock(),
            earliest,
            last + 2,
            roles,
            a -> nameOf(people, a),
            STAKE);
        report.adversaries =
            people.stream()
                .filter(p -> !p.kind.equals("honest"))
                .map(p -> p.name + ": " + p.kind)
                .toList();
        for (Participant p : people) {
          report.participants.add(
              new DemoReport.Person(
                  p.name,
                  p.role,
                  p.kind,
                  p.stage,
                  p.address,
                  STAKE,
                  reader.staking().stakeOf(p.address),
                  reader.shares().balanceOf(p.address),
                  p.roundsCommitted));
        }
        report.totalShares = reader.shares().totalSupply();
      }
      report.seconds = (System.nanoTime() - t0) / 1e9;
      report.write(dir.resolve("report.json"), dir.resolve("report.html"));
      out.printf(
          "devnet demo done in %.0f s: %s shares minted; report: %s and %s%n",
          report.seconds,
          DemoReport.ether(report.totalShares),
          dir.resolve("report.json"),
          dir.resolve("report.html"));
    } finally {
      Files.deleteIfExists(dir.resolve("anvil.pid"));
    }
    return 0;
  }

  private RunManager.Params params() {
    RunManager.Params p = RunConfig.devnetParams();
    return new RunManager.Params(
        p.minMinerStake,
        p.minValidatorStake,
        BigInteger.valueOf(sampleRateBps),
        p.slashBps,
        p.challengeBond,
        p.jurorCount,
        p.jurorBond,
        BigInteger.valueOf(commitBlocks),
        BigInteger.valueOf(checkBlocks),
        BigInteger.valueOf(voteBlocks),
        p.sharesPerRound,
        p.validatorShareBps,
        // the contract's floor: a whole round plus the dispute windows
        p.unbondingBlocks.max(
            BigInteger.valueOf(commitBlocks + 2L * (checkBlocks + voteBlocks) + 1)));
  }

  /** An empty folder, or one a previous demo left (cleared); anything else is refused. */
  private void prepareDir() throws IOException {
    if (Files.exists(dir)) {
      boolean empty;
      try (Stream<Path> s = Files.list(dir)) {
        empty = s.findAny().isEmpty();
      }
      if (!empty && !Files.exists(dir.resolve(MARKER))) {
        throw new IllegalArgumentException(
            dir + " is not empty and not a demo folder; pick another --dir");
      }
      Path pid = dir.resolve("anvil.pid");
      if (Files.exists(pid)) {
        try {
          long old = Long.parseLong(Files.readString(pid).trim());
          if (ProcessHandle.of(old).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalStateException(
                "a demo seems to be running in " + dir + " (chain pid " + old + ")");
          }
        } catch (NumberFormatException ignored) {
          // stale
        }
      }
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          if (!p.equals(dir)) {
            Files.delete(p);
          }
        }
      }
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(MARKER), "a folder of `bin/devnet demo`; cleared by the next\n");
  }

  private Path writeSpecs(RunSpecs specs) throws IOException {
    Path d = Files.createDirectories(dir.resolve("specs"));
    Files.writeString(d.resolve("model.json"), CanonicalJson.toJson(specs.model()));
    Files.writeString(d.resolve("data.json"), CanonicalJson.toJson(specs.data()));
    Files.writeString(d.resolve("train.json"), CanonicalJson.toJson(specs.train()));
    return d;
  }

  private void initKeystore(boolean miner, LocalChain chain, Participant p, Path password)
      throws IOException {
    Path key = dir.resolve("key-" + p.name);
    Files.writeString(
        key,
        Numeric.toHexStringWithPrefixZeroPadded(
            chain.account(p.account).getEcKeyPair().getPrivateKey(), 64));
    StringWriter err = new StringWriter();
    String[] args = {
      "init",
      "--import-key",
      key.toString(),
      "--light-kdf",
      "--data-dir",
      p.dataDir.toString(),
      "--password-file",
      password.toString()
    };
    PrintWriter quiet = new PrintWriter(new StringWriter(), true);
    int code =
        miner
            ? MinerCommand.execute(Map.of(), quiet, new PrintWriter(err, true), args)
            : ValidatorCommand.execute(Map.of(), quiet, new PrintWriter(err, true), args);
    Files.delete(key);
    if (code != 0) {
      throw new IllegalStateException("init of " + p.name + " failed: " + err.toString().trim());
    }
  }

  /**
   * The crash adversary: kill -9 of the miner as soon as its log shows a step of round r (or its
   * commit deadline passes), then the same command again on the same data. The restarted node must
   * not train or commit round r a second time and carries on from the next round.
   */
  private void crashAndRestart(
      Participant p,
      long r,
      RoundClock clock,
      ProtocolClient reader,
      NodeProcesses processes,
      Path nodes)
      throws Exception {
    Path log = p.log(nodes);
    String step = "round " + r + " step ";
    long until = clock.commitDeadline();
    while (reader.blockNumber() < until
        && !(Files.exists(log) && Files.readString(log).contains(step))) {
      checkAlive(processes);
      Thread.sleep(100);
    }
    processes.killAndRestart(p.name);
    out.printf("  %s killed (-9) during round %d and restarted on its data%n", p.name, r);
  }

  private static void waitForBlock(ProtocolClient reader, long block, NodeProcesses processes)
      throws InterruptedException {
    while (reader.blockNumber() < block) {
      checkAlive(processes);
      Thread.sleep(500);
    }
  }

  private static void checkAlive(NodeProcesses processes) {
    Optional<NodeProcesses.Child> dead = processes.firstDead();
    if (dead.isPresent()) {
      NodeProcesses.Child c = dead.get();
      throw new IllegalStateException(
          c.name()
              + " exited with code "
              + c.process().exitValue()
              + "; the end of its log ("
              + c.log()
              + "):\n"
              + NodeProcesses.tail(c, 30));
    }
  }

  private static boolean allClaimed(ProtocolClient reader, List<Participant> people, long round) {
    for (Participant p : people) {
      CommitmentInfo ci = p.miner() ? reader.runs().commitmentOf(round, p.address) : null;
      if (ci != null && ci.committed() && !ci.convicted()) {
        if (!ci.claimed()) {
          return false;
        }
      }
    }
    return reader.shares().totalSupply().signum() > 0;
  }

  private static String nameOf(List<Participant> people, String address) {
    return people.stream()
        .filter(p -> p.address.equalsIgnoreCase(address))
        .map(p -> p.name)
        .findFirst()
        .orElse(address);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** One node of the demo. */
  static final class Participant {
    final String name;
    final String role;
    final int stage;
    final int account;
    final Path dataDir;
    String address;
    int roundsCommitted;
    String kind = "honest";
    String nodeFlag;

    Participant(String name, String role, int stage, int account, Path dataDir) {
      this.name = name;
      this.role = role;
      this.stage = stage;
      this.account = account;
      this.dataDir = dataDir;
    }

    boolean miner() {
      return role.equals("miner");
    }

    Path log(Path nodes) {
      return nodes.resolve(name + ".log");
    }
  }

  /**
   * Held-out loss of the model the miners aggregated: after round r, the base of round r+1 of each
   * stage, read from the journal of that stage's first miner.
   */
  static final class Losses implements AutoCloseable {
    private final RunSpecs specs;
    private final List<RoundJournal> journals = new ArrayList<>();
    private HeldOutLoss eval;

    Losses(RunSpecs specs, List<Participant> people) {
      this.specs = specs;
      for (int s = 0; s < specs.stages(); s++) {
        int stage = s;
        people.stream()
            .filter(p -> p.miner() && p.stage == stage)
            .findFirst()
            .ifPresent(p -> journals.add(new RoundJournal(p.dataDir)));
      }
    }

    Double initial() {
      List<List<HostTensor>> params = new ArrayList<>();
      for (int s = 0; s < specs.stages(); s++) {
        params.add(specs.initialParams(s));
      }
      return eval(params);
    }

    Double after(long round) {
      List<List<HostTensor>> params = new ArrayList<>();
      for (RoundJournal j : journals) {
        Optional<OuterState> base;
        try {
          base = j.base(round + 1);
        } catch (RuntimeException e) {
          return null; // being written
        }
        if (base.isEmpty()) {
          return null;
        }
        params.add(base.get().params());
      }
      return eval(params);
    }

    private Double eval(List<List<HostTensor>> params) {
      try {
        if (eval == null) {
          eval = new HeldOutLoss(specs);
        }
        return eval.loss(params);
      } catch (RuntimeException e) {
        return null;
      }
    }

    @Override
    public void close() {
      if (eval != null) {
        eval.close();
      }
    }
  }
}
