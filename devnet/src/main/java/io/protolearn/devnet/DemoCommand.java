package io.protolearn.devnet;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.deploy.RunConfig;
import io.protolearn.chain.events.EventFeed;
import io.protolearn.chain.local.AnvilNode;
import io.protolearn.chain.local.LocalChain;
import io.protolearn.devnet.demo.AdversaryPlan;
import io.protolearn.devnet.demo.BlockClock;
import io.protolearn.devnet.demo.Chaos;
import io.protolearn.devnet.demo.DemoFolder;
import io.protolearn.devnet.demo.DemoOptions;
import io.protolearn.devnet.demo.DemoReport;
import io.protolearn.devnet.demo.HeldOutLosses;
import io.protolearn.devnet.demo.NodeProcesses;
import io.protolearn.devnet.demo.NodeSupervisor;
import io.protolearn.devnet.demo.Outcome;
import io.protolearn.devnet.demo.Participant;
import io.protolearn.devnet.demo.ParticipantSetup;
import io.protolearn.devnet.demo.ReportAssembler;
import io.protolearn.devnet.demo.RoundObserver;
import io.protolearn.devnet.demo.Settlement;
import io.protolearn.miner.MinerCommand;
import io.protolearn.training.spec.RunSpecs;
import io.protolearn.validator.ValidatorCommand;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bin/devnet demo}: a local chain, S×R miners and V validators, each its own process with
 * its own keystore and data folder, for N rounds; then the rounds are settled and a report written
 * (JSON and one self-contained HTML page). Adversaries ({@code --adversaries}) are extra
 * participants running the real nodes with one behaviour swapped ({@link AdversaryPlan}); {@code
 * --chaos N} kills honest nodes, which the demo restarts like an operator's supervisor ({@link
 * NodeSupervisor}).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the protocol locally: start a chain (a block a second), deploy the devnet run, start"
          + " S×R miners and V validators as their own processes (each its own keystore, data"
          + " folder and log), run N rounds printing one line per round, stop the nodes, settle"
          + " every round (finalize, resolve, claim) and write report.json and report.html into"
          + " the demo folder. Library logging goes to demo.log and the nodes' logs.",
      "Adversaries (--adversaries) are extra participants: the real nodes with one behaviour"
          + " swapped (lazy, copycat, corrupt, withholder, peer-withholder, stale-base miners; a lazy"
          + " validator).",
      "A node that exits is restarted on its data; --chaos N kills N honest nodes at random."
    })
final class DemoCommand implements Callable<Integer> {
  @Mixin DemoOptions options;

  private final PrintWriter out = new PrintWriter(System.out, true);

  @Override
  public Integer call() throws Exception {
    RunSpecs specs = RunSpecs.devnet();
    AdversaryPlan plan = options.check(specs.stages());
    Path dir = options.dir;
    DemoFolder.prepare(dir);
    // library logging (DJL's engine notices, web3j) to the demo's log, the console to the rounds
    System.setProperty("org.slf4j.simpleLogger.logFile", dir.resolve("demo.log").toString());
    Path nodes = Files.createDirectories(dir.resolve("nodes"));
    Path password = DemoFolder.writePassword(dir);
    Path specsDir = DemoFolder.writeSpecs(dir, specs);
    Path deploymentFile = dir.resolve("deployment.json");
    out.printf(
        "devnet demo: %d stages × %d miners, %d validators, %d rounds; adversaries: %s%s%n",
        options.stages,
        options.replicas,
        options.validators,
        options.rounds,
        plan.any() ? options.adversaries : "none",
        options.chaos > 0 ? "; chaos: " + options.chaos + " kills" : "");
    RunConfig config = RunConfig.devnet(specs.hashes(), 16).withParams(options.params());
    long t0 = System.nanoTime();
    try (LocalChain chain =
            LocalChain.start(
                new AnvilNode.Options(
                    0,
                    0,
                    31337,
                    ParticipantSetup.accounts(options, plan),
                    dir.resolve("anvil.log"),
                    false),
                config);
        BlockClock blocks = new BlockClock();
        NodeSupervisor supervisor =
            new NodeSupervisor(new NodeProcesses(), out, () -> chain.blockNumber())) {
      Files.writeString(dir.resolve("anvil.pid"), Long.toString(chain.node().pid()));
      chain.deployment().save(deploymentFile);
      out.printf(
          "  chain at %s (pid %d), run %d deployed%n",
          chain.node().rpcUrl(), chain.node().pid(), chain.deployment().runId());
      // participants: keystores through the node CLIs, stake and membership through the SDK
      ParticipantSetup setup = new ParticipantSetup(options, chain, nodes, password);
      List<Participant> people = setup.enroll(plan);
      for (Participant p : people) {
        String main = p.miner() ? MinerCommand.class.getName() : ValidatorCommand.class.getName();
        supervisor.start(p, main, setup.runArgs(p, deploymentFile, specsDir), p.log(nodes));
      }
      supervisor.awaitReady(Duration.ofMinutes(3), p -> setup.rebind(p, deploymentFile, specsDir));
      // the nodes are up: from here on the chain keeps time, a block every --block-ms
      blocks.start(chain.node().rpcUrl(), options.blockMillis);
      long miners = people.stream().filter(Participant::miner).count();
      out.printf(
          "  started %d miners and %d validators (logs in %s)%n",
          miners, people.size() - miners, nodes);
      DemoReport report = run(chain, setup, people, supervisor, specs, nodes);
      report.seconds = (System.nanoTime() - t0) / 1e9;
      report.write(dir.resolve("report.json"), dir.resolve("report.html"));
      out.printf(
          "devnet demo done in %.0f s: %s shares minted; report: %s and %s%n",
          report.seconds,
          DemoReport.ether(report.totalShares),
          dir.resolve("report.json"),
          dir.resolve("report.html"));
      out.println(Outcome.line(report));
    } finally {
      Files.deleteIfExists(dir.resolve("anvil.pid"));
    }
    return 0;
  }

  /** The rounds, watched with the nodes up; then the nodes stop, the rounds settle, the report. */
  private DemoReport run(
      LocalChain chain,
      ParticipantSetup setup,
      List<Participant> people,
      NodeSupervisor supervisor,
      RunSpecs specs,
      Path nodes)
      throws Exception {
    DemoReport report =
        new DemoReport(
            options.stages,
            options.replicas,
            options.validators,
            options.rounds,
            chain.deployment().runId());
    List<String> contracts =
        List.of(
            chain.deployment().contracts().runManager(),
            chain.deployment().contracts().disputeManager(),
            chain.deployment().contracts().stakeManager());
    try (ProtocolClient reader =
            ProtocolClient.connect(chain.deployment(), chain.account(0), Duration.ofMillis(50));
        HeldOutLosses losses =
            new HeldOutLosses(
                specs, people, Files.createDirectories(nodes.resolveSibling("bases")))) {
      long first = 0;
      long earliest = Long.MAX_VALUE; // the ledger starts where anyone could first earn
      for (Participant p : people) {
        long from = reader.runs().memberOf(p.address).fromRound();
        first = Math.max(first, from);
        earliest = Math.min(earliest, from);
      }
      long last = first + options.rounds - 1;
      report.initialLoss = losses.initial();
      Chaos chaos =
          Chaos.plan(
              options.chaos,
              options.chaosSeed,
              people.stream().filter(Participant::honest).map(p -> p.name).toList(),
              killWindows(reader, first, last));
      EventFeed feed = new EventFeed(chain.web3j(), contracts.subList(1, 3));
      RoundObserver observer =
          new RoundObserver(
              reader,
              feed,
              chain.deployment().deployBlock(),
              people,
              losses,
              supervisor,
              chaos,
              nodes,
              out);
      observer.observe(first, options.rounds, report);
      observer.awaitClaims(last, report);
      // the nodes stop; what they left of rounds up to N is settled here, then the chain is read
      supervisor.close();
      Settlement settlement = new Settlement(reader, setup::client, people, out);
      settlement.settle(earliest, last);
      new ReportAssembler(
              reader, chain.web3j(), contracts, chain.deployment().deployBlock(), people)
          .fill(
              report,
              earliest,
              last,
              settlement.claimedHere(),
              observer.kills(),
              supervisor.restarts());
    }
    return report;
  }

  /**
   * Where {@code --chaos} kills: the first half of each reported round's commit window, so that a
   * restarted node is back before it owes checks, votes or artifacts.
   */
  private static List<Chaos.Window> killWindows(ProtocolClient reader, long first, long last) {
    List<Chaos.Window> windows = new ArrayList<>();
    for (long r = first; r <= last; r++) {
      var clock = reader.runs().clock(r);
      long start = clock.start();
      long deadline = clock.commitDeadline();
      windows.add(new Chaos.Window(start, start + Math.max(1, (deadline - start) / 2)));
    }
    return windows;
  }
}
