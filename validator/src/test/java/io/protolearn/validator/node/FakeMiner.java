package io.protolearn.validator.node;

import io.protolearn.node.http.SignatureVerifier;
import io.protolearn.node.metrics.Metrics;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.lane.StageRoundResult;
import io.protolearn.training.tensor.TensorCodec;
import io.protolearn.training.verify.EvidenceBuilder;
import io.protolearn.training.verify.EvidenceCodec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a miner's artifact routes (docs/NODE-API.md), serving the round results of a lane
 * trained in-process, honestly or in one of the ways a bad miner can: withholding everything,
 * garbage evidence, an oversized body, or never answering. Requests must be signed.
 */
final class FakeMiner implements AutoCloseable {
  enum Behaviour {
    HONEST,
    WITHHOLD,
    GARBAGE,
    OVERSIZED,
    HANG
  }

  private record Served(List<StageRoundResult> lane, int stage) {}

  private final Vertx vertx;
  private final long runId;
  private final TensorMessage.Domain domain;
  private final Map<Long, Served> rounds = new ConcurrentHashMap<>();
  private volatile Behaviour behaviour = Behaviour.HONEST;
  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;

  FakeMiner(Vertx vertx, long runId, TensorMessage.Domain domain) {
    this.vertx = vertx;
    this.runId = runId;
    this.domain = domain;
  }

  int start() throws Exception {
    Router router = Router.router(vertx);
    router
        .route()
        .handler(
            rc -> {
              requests.incrementAndGet();
              rc.next();
            });
    router
        .route("/v1/*")
        .handler(
            SignatureVerifier.anySigner(
                Clock.systemUTC(), SignatureVerifier.Config.DEFAULT, new Metrics()));
    router.get("/v1/rounds/:round/steps/:step/leaf").handler(this::leaf);
    router.get("/v1/rounds/:round/steps/:step/evidence").handler(this::evidence);
    router.get("/v1/rounds/:round/delta").handler(this::delta);
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

  int requests() {
    return requests.get();
  }

  private Served served(RoutingContext rc) {
    Served s = rounds.get(Long.parseLong(rc.pathParam("round")));
    if (s == null || behaviour == Behaviour.WITHHOLD) {
      rc.response().setStatusCode(404).end("{\"error\":\"no such round\"}");
      return null;
    }
    return s;
  }

  private void leaf(RoutingContext rc) {
    Served s = served(rc);
    if (s == null) {
      return;
    }
    RoundTree tree = s.lane().get(s.stage()).tree();
    StepLeaf l = tree.leaf(Integer.parseInt(rc.pathParam("step")));
    JsonArray values =
        new JsonArray(
            List.of(
                Long.toString(l.runId()),
                Long.toString(l.round()),
                l.miner().toChecksumHex(),
                Integer.toString(l.stage()),
                Integer.toString(l.lane()),
                Integer.toString(l.step()),
                l.paramsBeforeHash().toHex(),
                l.optStateBeforeHash().toHex(),
                l.inputHash().toHex(),
                l.upstreamGradHash().toHex(),
                l.outputHash().toHex(),
                l.inputGradHash().toHex(),
                l.paramGradHash().toHex(),
                l.paramsAfterHash().toHex()));
    JsonArray proof = new JsonArray();
    tree.proof(l).forEach(p -> proof.add(p.toHex()));
    rc.json(new JsonObject().put("leaf", values).put("proof", proof));
  }

  private void delta(RoutingContext rc) {
    Served s = served(rc);
    if (s != null) {
      rc.response()
          .putHeader("content-type", "application/octet-stream")
          .end(Buffer.buffer(TensorCodec.encodeList(s.lane().get(s.stage()).delta())));
    }
  }

  private void evidence(RoutingContext rc) {
    Served s = served(rc);
    if (s == null) {
      return;
    }
    switch (behaviour) {
      case HANG -> {
        // never answers
      }
      case GARBAGE -> {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        rc.response().end(Buffer.buffer(junk));
      }
      case OVERSIZED -> {
        byte[] big = new byte[4 * 1024 * 1024];
        rc.response().end(Buffer.buffer(big));
      }
      default -> {
        long round = Long.parseLong(rc.pathParam("round"));
        int step = Integer.parseInt(rc.pathParam("step"));
        byte[] body =
            EvidenceCodec.encode(
                EvidenceBuilder.forStep(s.lane(), s.stage(), step, runId, round, domain, null));
        rc.response()
            .putHeader("content-type", "application/octet-stream")
            .end(Buffer.buffer(body));
      }
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
