package io.protolearn.miner;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.cli.UserException;
import io.protolearn.miner.node.Adversary;
import io.protolearn.miner.node.MinerAssembly;
import io.protolearn.miner.node.MinerNode;
import io.protolearn.node.cli.ChainCommand;
import io.protolearn.node.metrics.Metrics;
import io.protolearn.node.metrics.MetricsOptions;
import io.protolearn.node.metrics.MetricsServer;
import io.protolearn.node.metrics.RpcMetrics;
import io.protolearn.protocol.crypto.Secp256k1;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the miner node: trains this account's stage every round, commits, serves, claims. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Run the miner node: every round, train this miner's stage in its lane with its lane"
            + " peers, commit the round's root, serve artifacts to validators and deltas to stage"
            + " peers, aggregate the next checkpoint and claim shares. Stops cleanly when the run"
            + " is halted.")
final class RunCommand extends ChainCommand {
  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description = "Interface the node listens on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "-1",
      description = "Port the node listens on (default: the port of the endpoint joined with).")
  int port;

  @Mixin MetricsOptions metricsOptions;

  @Option(
      names = "--peer-timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "How long to wait for a lane peer before committing the steps done (default: ${DEFAULT-VALUE}).")
  int peerTimeoutSeconds;

  @Option(
      names = "--max-steps",
      paramLabel = "K",
      defaultValue = "0",
      description = "Train at most K steps a round (default: the run's K).")
  int maxSteps;

  @Option(
      names = "--poll-ms",
      paramLabel = "MS",
      defaultValue = "500",
      description = "How often to read the chain's clock (default: ${DEFAULT-VALUE}).")
  int pollMillis;

  @Option(
      names = "--deadline-margin",
      paramLabel = "BLOCKS",
      defaultValue = "2",
      description =
          "Stop training this many blocks before the commit deadline (default: ${DEFAULT-VALUE}).")
  int deadlineMargin;

  @Option(
      names = "--retention",
      paramLabel = "ROUNDS",
      defaultValue = "8",
      description = "Rounds of artifacts kept and served (default: ${DEFAULT-VALUE}).")
  int retention;

  @Option(
      names = "--until-round",
      paramLabel = "ROUND",
      defaultValue = "-1",
      description = "Exit after handling this round (default: run until the run halts).")
  long untilRound;

  @Option(
      names = "--adversary",
      paramLabel = "KIND",
      hidden = true,
      description =
          "Devnet/test only: swap one behaviour for a dishonest one: lazy:F (fabricates a"
              + " fraction F of its steps), copycat (commits a stage peer's commitment),"
              + " corrupt-activations (sends its lane peer altered activations), withholder"
              + " (serves nothing to validators), peer-withholder (serves validators, not its stage"
              + " peers), stale-base (skips the outer step and trains"
              + " every round from the round-0 base).")
  String adversary;

  @Override
  public Integer call() {
    Adversary strategy = Adversary.parse(adversary);
    if (peerTimeoutSeconds < 1 || pollMillis < 10 || retention < 1 || maxSteps < 0) {
      throw new UserException(
          "--peer-timeout, --poll-ms, --retention must be positive and --max-steps not negative");
    }
    var deployment = chain.deployment();
    var credentials = keys.unlock(storage, env());
    Secp256k1.KeyPair key = Secp256k1.fromPrivateKey(credentials.getEcKeyPair().getPrivateKey());
    Metrics metrics = Metrics.withJvmMetrics();
    try (ProtocolClient client =
            io.protolearn.cli.ChainSession.connect(
                deployment, credentials, new RpcMetrics(metrics));
        MetricsServer served = metricsOptions.serve(metrics).orElse(null)) {
      if (served != null) {
        out().printf("metrics on %s%n", served.url());
      }
      MinerNode.Config config =
          new MinerNode.Config(
              storage.dataDir(),
              host,
              port,
              Duration.ofSeconds(peerTimeoutSeconds),
              maxSteps,
              Duration.ofMillis(pollMillis),
              deadlineMargin,
              retention,
              System.console() != null,
              untilRound);
      MinerNode node =
          new MinerAssembly(client, key, config, out())
              .adversary(strategy)
              .metrics(metrics)
              .build();
      Runtime.getRuntime().addShutdownHook(new Thread(node::close, "miner-shutdown"));
      return node.run();
    }
  }
}
