package io.protolearn.validator;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.cli.ChainSession;
import io.protolearn.cli.UserException;
import io.protolearn.node.cli.ChainCommand;
import io.protolearn.node.lifecycle.Task;
import io.protolearn.node.metrics.Metrics;
import io.protolearn.node.metrics.MetricsOptions;
import io.protolearn.node.metrics.MetricsServer;
import io.protolearn.node.metrics.RpcMetrics;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.training.spec.CanonicalJson;
import io.protolearn.training.spec.DataSpec;
import io.protolearn.training.spec.ModelSpec;
import io.protolearn.training.spec.TrainSpec;
import io.protolearn.validator.node.GrinderChecks;
import io.protolearn.validator.node.LazyChecks;
import io.protolearn.validator.node.ReportThief;
import io.protolearn.validator.node.RunStatus;
import io.protolearn.validator.node.StepChecks;
import io.protolearn.validator.node.ValidatorAssembly;
import io.protolearn.validator.node.ValidatorConfig;
import io.protolearn.validator.node.ValidatorService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code validator run}: the checking node, until interrupted. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Run the validator node: after each commit deadline check the sampled steps assigned to"
            + " this validator, attest, file fraud proofs and challenges, sit on juries, claim.")
final class RunCommand extends ChainCommand {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(
      names = "--specs",
      paramLabel = "DIR",
      required = true,
      description =
          "Folder with the run's model.json, data.json and train.json (canonical spec documents;"
              + " their hashes must be the run's).")
  Path specs;

  @Option(
      names = "--workers",
      paramLabel = "N",
      defaultValue = "" + ValidatorConfig.DEFAULT_WORKERS,
      description = "Threads fetching and checking sampled steps (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--fetch-timeout-ms",
      paramLabel = "MS",
      defaultValue = "20000",
      description = "Limit of one artifact request to a miner (default: ${DEFAULT-VALUE}).")
  long fetchTimeoutMs;

  @Option(
      names = "--max-evidence-mib",
      paramLabel = "MIB",
      defaultValue = "256",
      description = "Largest evidence accepted from a miner (default: ${DEFAULT-VALUE}).")
  long maxEvidenceMib;

  @Option(
      names = "--block-time-ms",
      paramLabel = "MS",
      defaultValue = "2000",
      description =
          "Expected time per block, to plan the check window (default: ${DEFAULT-VALUE}).")
  long blockTimeMs;

  @Option(
      names = "--poll-ms",
      paramLabel = "MS",
      defaultValue = "1000",
      description = "How often the node looks at the chain (default: ${DEFAULT-VALUE}).")
  long pollMs;

  @Mixin MetricsOptions metricsOptions;

  @Option(
      names = "--crash-at",
      paramLabel = "POINT",
      hidden = true,
      description =
          "Test only: halt the process abruptly (no shutdown hooks, like kill -9) when it reaches"
              + " POINT (attest, attest-sent, fault, fault-sent, commit-vote, commit-vote-sent,"
              + " reveal-vote, reveal-vote-sent).")
  String crashAt;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description = "Interface the node re-serves verified updates on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "-1",
      description =
          "Port the node re-serves verified updates on (default: the port of the endpoint it"
              + " registered).")
  int port;

  @Option(
      names = "--adversary",
      paramLabel = "KIND",
      hidden = true,
      description =
          "Devnet/test only: 'lazy' attests every assigned step without fetching or recomputing"
              + " it (and so never challenges); jury duties stay honest. 'report-thief' is honest"
              + " and also sends a copy of every other validator's pending proof or challenge."
              + " 'jury-grinder' accuses one miner per round without cause and votes guilty on"
              + " every jury it sits on.")
  String adversary;

  @Override
  public Integer call() throws Exception {
    if (workers < 1) {
      throw new UserException("--workers must be at least 1");
    }
    if (port < -1 || port > 65535) {
      throw new UserException("--port must be 0..65535, got " + port);
    }
    if (adversary != null
        && !List.of("lazy", "report-thief", "jury-grinder", "none").contains(adversary)) {
      throw new UserException(
          "--adversary must be lazy, report-thief, jury-grinder or none, got " + adversary);
    }
    Credentials credentials = keys.unlock(storage, env());
    Metrics metrics = Metrics.withJvmMetrics();
    try (ProtocolClient client =
        ChainSession.connect(chain.deployment(), credentials, new RpcMetrics(metrics))) {
      ValidatorAssembly.Specs runSpecs =
          new ValidatorAssembly.Specs(
              read("model.json", ModelSpec.class),
              read("data.json", DataSpec.class),
              read("train.json", TrainSpec.class));
      ValidatorConfig config =
          new ValidatorConfig(
              workers,
              Duration.ofMillis(fetchTimeoutMs),
              ValidatorConfig.DEFAULT_MAX_LEAF_BYTES,
              maxEvidenceMib * 1024 * 1024,
              ValidatorConfig.DEFAULT_SAFETY_BLOCKS,
              Duration.ofMillis(blockTimeMs),
              true);
      Secp256k1.KeyPair key = Secp256k1.fromPrivateKey(credentials.getEcKeyPair().getPrivateKey());
      try (ValidatorService service =
              new ValidatorAssembly(client, key, runSpecs, config, storage.dataDir())
                  .metrics(metrics)
                  .crashPoints(crashPoints())
                  .listen(host, port)
                  .adversary(
                      switch (adversary == null ? "none" : adversary) {
                        case "lazy" -> LazyChecks::new;
                        case "jury-grinder" -> GrinderChecks::new;
                        default -> UnaryOperator.<StepChecks>identity();
                      })
                  .build();
          MetricsServer served = metricsOptions.serve(metrics).orElse(null);
          ReportThief thief = "report-thief".equals(adversary) ? new ReportThief(client) : null) {
        if (served != null) {
          out().printf("metrics on %s%n", served.url());
        }
        out().printf("validator %s running on run %d%n", client.address(), client.runs().runId());
        out().flush();
        loop(service, client.runs().runId());
      }
    }
    return 0;
  }

  private ValidatorService.CrashPoints crashPoints() {
    if (crashAt == null) {
      return ValidatorService.CrashPoints.NONE;
    }
    return point -> {
      if (point.equals(crashAt)) {
        System.err.println("validator: halting at " + point + " (--crash-at)");
        System.err.flush();
        Runtime.getRuntime().halt(137);
      }
    };
  }

  /**
   * Ticks until interrupted, or until the run is halted and nothing owed is left (DESIGN §8); a
   * paused run is only reported (its rounds take no commits, so the ticks find nothing to check).
   */
  private void loop(ValidatorService service, long runId) throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(stop::countDown, "validator-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean paused = false;
    boolean haltSaid = false;
    while (!stop.await(pollMs, TimeUnit.MILLISECONDS)) {
      try {
        if (!Task.survivingOutOfMemory("a tick", service::tick)) {
          continue;
        }
        RunStatus status = service.runStatus();
        if (status.settled()) {
          say(
              "run %d is halted from round %d: nothing owed is left; the validator stops",
              runId, status.haltedFromRound());
          return;
        }
        if (status.halted() && !haltSaid) {
          haltSaid = true;
          say(
              "run %d is halted from round %d; finishing checks, jury duties and claims of the"
                  + " rounds before it",
              runId, status.haltedFromRound());
        } else if (status.paused() != paused && !status.halted()) {
          paused = status.paused();
          say(
              paused
                  ? "run %d is paused; idling until it resumes"
                  : "run %d resumed; checking rounds again",
              runId);
        }
      } catch (RuntimeException e) {
        LOG.warn("tick failed, retrying: {}", e.toString());
      }
    }
  }

  private void say(String format, Object... args) {
    out().printf(format + "%n", args);
    out().flush();
  }

  private <T> T read(String name, Class<T> type) {
    Path p = specs.resolve(name);
    try {
      return CanonicalJson.fromJson(Files.readString(p), type);
    } catch (IOException | RuntimeException e) {
      throw new UserException("cannot read " + p + ": " + e.getMessage());
    }
  }
}
