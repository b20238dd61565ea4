package io.protolearn.validator.node;

import io.protolearn.node.artifact.ArtifactRoutes;
import io.protolearn.node.artifact.ArtifactSource;
import io.protolearn.node.artifact.ServedCommitment;
import io.protolearn.node.http.RequestSignature;
import io.protolearn.node.http.SignatureVerifier;
import io.protolearn.node.metrics.Metrics;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.training.lane.StageRoundResult;
import io.protolearn.training.tensor.TensorCodec;
import io.protolearn.training.verify.EvidenceBuilder;
import io.protolearn.training.verify.EvidenceCodec;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A miner's artifact service for validator tests: the real {@link ArtifactRoutes} (signed requests,
 * the wire format, the refusals) over the round results of a lane trained in-process, served
 * honestly or in one of the ways a bad miner can: withholding every round, garbage evidence, an
 * oversized body, or never answering.
 */
final class FakeMiner implements AutoCloseable {
  enum Behaviour {
    HONEST,
    WITHHOLD,
    /** Serves its leaves and evidence, not its update (the delta). */
    WITHHOLD_UPDATE,
    GARBAGE,
    OVERSIZED,
    HANG
  }

  private record Served(List<StageRoundResult> lane, int stage) {}

  private final Vertx vertx;
  private final long runId;
  private final TensorMessage.Domain domain;
  private final Map<Long, Served> rounds = new ConcurrentHashMap<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Behaviour behaviour = Behaviour.HONEST;
  private HttpServer server;

  private final Address self;

  /**
   * A miner node standing for {@code self}: requests must be signed for it on the domain's chain.
   */
  FakeMiner(Vertx vertx, long runId, TensorMessage.Domain domain, Address self) {
    this.self = self;
    this.vertx = vertx;
    this.runId = runId;
    this.domain = domain;
  }

  int start() throws Exception {
    Router router = Router.router(vertx);
    new ArtifactRoutes(
            vertx,
            SignatureVerifier.anySigner(
                Clock.systemUTC(),
                SignatureVerifier.Config.DEFAULT,
                new RequestSignature.Audience(domain.chainId(), self),
                new Metrics()),
            new Source(),
            kind -> {})
        .register(router);
    server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get();
    return server.actualPort();
  }

  void serve(long round, List<StageRoundResult> lane, int stage) {
    rounds.put(round, new Served(lane, stage));
  }

  void behave(Behaviour b) {
    behaviour = b;
  }

  /** Every served round to anyone who signs, the evidence as the behaviour says. */
  private final class Source implements ArtifactSource {
    @Override
    public Access access(long round, Address signer) {
      return Access.VALIDATOR;
    }

    @Override
    public long currentRound() {
      return rounds.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    @Override
    public long retentionRounds() {
      return Integer.MAX_VALUE;
    }

    @Override
    public Optional<ServedRound> round(long round) {
      Served s = rounds.get(round);
      if (s == null || behaviour == Behaviour.WITHHOLD) {
        return Optional.empty();
      }
      StageRoundResult r = s.lane().get(s.stage());
      Commitment c = new Commitment(r.root(), r.stepCount(), r.deltaHash(), r.baseHash());
      return Optional.of(
          new ServedRound(round, new ServedCommitment(c, r.lane(), s.stage()), r.tree()));
    }

    @Override
    public byte[] evidence(ServedRound round, int step) {
      Served s = rounds.get(round.round());
      return switch (behaviour) {
        case HANG -> hang();
        case GARBAGE -> {
          byte[] junk = new byte[4096];
          new Random(7).nextBytes(junk);
          yield junk;
        }
        case OVERSIZED -> new byte[4 * 1024 * 1024];
        default ->
            EvidenceCodec.encode(
                EvidenceBuilder.forStep(
                    s.lane(), s.stage(), step, runId, round.round(), domain, null));
      };
    }

    @Override
    public byte[] delta(ServedRound round) {
      if (behaviour == Behaviour.WITHHOLD_UPDATE) {
        return new byte[0]; // serves nothing that decodes to the committed delta
      }
      Served s = rounds.get(round.round());
      return TensorCodec.encodeList(s.lane().get(s.stage()).delta());
    }
  }

  /** Never answers: holds its worker until the miner is closed. */
  private byte[] hang() {
    try {
      closed.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("closed while hanging");
  }

  @Override
  public void close() {
    closed.countDown();
    if (server != null) {
      server.close();
    }
  }
}
