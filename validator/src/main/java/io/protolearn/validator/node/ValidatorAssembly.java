package io.protolearn.validator.node;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.model.RunSpec;
import io.protolearn.cli.UserException;
import io.protolearn.node.artifact.ArtifactClient;
import io.protolearn.node.artifact.VerifiedDeltaRoutes;
import io.protolearn.node.http.HttpConfig;
import io.protolearn.node.http.NodeHttpService;
import io.protolearn.node.http.Readiness;
import io.protolearn.node.http.RequestSignature;
import io.protolearn.node.http.RequestSigner;
import io.protolearn.node.http.SignatureVerifier;
import io.protolearn.node.lifecycle.Opened;
import io.protolearn.node.metrics.Metrics;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.training.data.Corpus;
import io.protolearn.training.lane.OuterStep;
import io.protolearn.training.model.ParamLayout;
import io.protolearn.training.model.StageState;
import io.protolearn.training.model.StageTrainer;
import io.protolearn.training.model.TrainingEngine;
import io.protolearn.training.spec.DataSpec;
import io.protolearn.training.spec.ModelSpec;
import io.protolearn.training.spec.TrainSpec;
import io.protolearn.training.verify.RecomputeVerifier;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a validator node is put together (the validator's counterpart of the miner's {@code
 * MinerAssembly}): checks the run's specs against their on-chain hashes and the process against the
 * reproducibility profile, then wires one recomputing trainer per stage, the artifact client, the
 * marker store, the aggregation check and the jury into a {@link ValidatorService}. An adversary is
 * injected here only, as a decorator of the validator's own {@link StepChecks}.
 */
public final class ValidatorAssembly {
  private static final Logger LOG = LoggerFactory.getLogger(ValidatorAssembly.class);

  /** The run's spec documents as read from {@code --specs}. */
  public record Specs(ModelSpec model, DataSpec data, TrainSpec train) {}

  private final ProtocolClient client;
  private final Secp256k1.KeyPair key;
  private final Specs specs;
  private final ValidatorConfig config;
  private final Path dataDir;
  private Metrics metrics = new Metrics();
  private ValidatorService.CrashPoints crash = ValidatorService.CrashPoints.NONE;
  private UnaryOperator<StepChecks> adversary = UnaryOperator.identity();
  private String host = "127.0.0.1";
  private int port = -1;

  public ValidatorAssembly(
      ProtocolClient client,
      Secp256k1.KeyPair key,
      Specs specs,
      ValidatorConfig config,
      Path dataDir) {
    this.client = client;
    this.key = key;
    this.specs = specs;
    this.config = config;
    this.dataDir = dataDir;
  }

  /** The registry the node counts in, which the caller serves ({@code --metrics-port}). */
  public ValidatorAssembly metrics(Metrics metrics) {
    this.metrics = metrics;
    return this;
  }

  /** Test seam: reached between writing a marker and sending the transaction it guards. */
  public ValidatorAssembly crashPoints(ValidatorService.CrashPoints crash) {
    this.crash = crash;
    return this;
  }

  /** A decorator of this validator's own checks (devnet demo, tests: {@link LazyChecks}). */
  public ValidatorAssembly adversary(UnaryOperator<StepChecks> adversary) {
    this.adversary = adversary;
    return this;
  }

  /**
   * Where the node re-serves the updates it verified ({@code GET /v1/deltas/{hash}}, DESIGN §7 v2);
   * port -1: the port of the endpoint it registered, if that names one.
   */
  public ValidatorAssembly listen(String host, int port) {
    this.host = host;
    this.port = port;
    return this;
  }

  /** The node, ready for its first tick; closing it closes everything opened here. */
  public ValidatorService build() {
    return Opened.building(this::build);
  }

  private ValidatorService build(Opened opened) {
    RunSpec onChain = client.runs().spec();
    same("model.json", specs.model().hash().bytes(), onChain.modelSpecHash().bytes());
    same("data.json", specs.data().hash().bytes(), onChain.dataSpecHash().bytes());
    same("train.json", specs.train().hash().bytes(), onChain.trainSpecHash().bytes());
    TrainSpec train = specs.train();
    TrainingEngine.ProfileCheck profile = TrainingEngine.start(train.profile());
    if (!profile.matches() && train.profile().exact()) {
      throw new UserException(
          "this process does not match the run's reproducibility profile: " + profile.mismatches());
    }
    Corpus corpus = Corpus.forSpec(specs.data());
    List<RecomputeVerifier> verifiers = new ArrayList<>();
    for (int s = 0; s < specs.model().stages(); s++) {
      StageTrainer t = opened.add(new StageTrainer(specs.model(), train, s));
      verifiers.add(new RecomputeVerifier(t, train, corpus));
    }
    Vertx vertx = Vertx.vertx();
    opened.onClose(vertx::close);
    long chainId = client.deployment().chainId();
    ArtifactClient artifacts =
        opened.add(
            new ArtifactClient(
                vertx,
                new RequestSigner(key, chainId),
                config.fetchTimeout(),
                config.maxLeafBytes(),
                config.maxEvidenceBytes()));
    TensorMessage.Domain domain =
        new TensorMessage.Domain(chainId, Address.fromHex(client.disputes().address()));
    ValidatorService service =
        new ValidatorService(
            client,
            new StepChecker(artifacts, verifiers::get, domain),
            new MarkerStore(dataDir.resolve("markers")),
            config,
            new ValidatorMetrics(metrics),
            crash,
            adversary);
    service.closing(opened);
    try {
      service.checkAggregation(
          s -> StageState.initialParams(ParamLayout.of(specs.model(), s), train.seed()),
          new OuterStep(train));
      serveVerifiedDeltas(vertx, service, opened);
    } catch (RuntimeException e) {
      service.close(); // its worker threads, then what was opened here
      throw e;
    }
    return service;
  }

  /**
   * Re-serves verified updates on {@link #listen}'s port, or the registered endpoint's; a validator
   * with neither (registered without a port) does not, and says so once.
   */
  private void serveVerifiedDeltas(Vertx vertx, ValidatorService service, Opened opened) {
    int p = port;
    if (p < 0) {
      String endpoint = client.runs().memberOf(client.address()).endpoint();
      try {
        p = java.net.URI.create(endpoint).getPort();
      } catch (IllegalArgumentException e) {
        p = -1;
      }
      if (p < 0) {
        LOG.warn(
            "the registered endpoint '{}' names no port and no --port was given: verified updates"
                + " are not re-served to miners",
            endpoint);
        return;
      }
    }
    NodeHttpService http =
        new NodeHttpService(
            vertx,
            HttpConfig.builder().host(host).port(p).build(),
            metrics,
            Readiness.ALWAYS,
            List.of(
                new VerifiedDeltaRoutes(
                    vertx,
                    new SignatureVerifier(
                        Clock.systemUTC(),
                        SignatureVerifier.Config.DEFAULT,
                        new RequestSignature.Audience(
                            client.deployment().chainId(), Address.fromHex(client.address())),
                        service::knownParty,
                        "a miner or validator of the run",
                        metrics),
                    service::verifiedDelta,
                    kind -> {})));
    try {
      http.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new UserException("cannot listen on " + host + ":" + p + ": " + e);
    }
    opened.onClose(
        () -> {
          try {
            http.stop().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
          } catch (Exception e) {
            LOG.debug("stopping HTTP: {}", e.toString());
          }
        });
    LOG.info("re-serving verified updates on {}:{}", host, p);
  }

  private static void same(String name, byte[] local, byte[] onChain) {
    if (!Arrays.equals(local, onChain)) {
      throw new UserException(name + " does not hash to the run's registered spec hash");
    }
  }
}
