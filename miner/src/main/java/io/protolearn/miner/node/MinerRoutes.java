package io.protolearn.miner.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.protolearn.node.http.HttpErrors;
import io.protolearn.node.http.NodeHttpService;
import io.protolearn.node.http.SignatureVerifier;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Hex;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.lane.LaneInbox;
import io.protolearn.training.lane.SignedTensor;
import io.protolearn.training.spec.RunSpecs;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The miner's routes of docs/NODE-API.md: lane tensors from lane peers, and the artifacts of
 * committed rounds for the round's validators (delta and commitment also for stage peers). Every
 * refusal is a 4xx with {@code {"error": ...}} and changes nothing; chain and disk reads run on
 * worker threads, never on the event loop.
 */
final class MinerRoutes implements NodeHttpService.Routes {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the routes need to know about the node, readable without blocking. */
  record Context(
      long runId,
      int stage,
      RunSpecs specs,
      TensorMessage.Domain domain,
      Supplier<Optional<RoundPlan>> trainingPlan,
      LongSupplier currentRound,
      int retentionRounds,
      int maxSteps) {}

  private final Vertx vertx;
  private final Context ctx;
  private final SignatureVerifier laneVerifier;
  private final SignatureVerifier artifactVerifier;
  private final LaneInbox inbox;
  private final PartyCache parties;
  private final ArtifactService artifacts;
  private final MinerMetrics metrics;

  MinerRoutes(
      Vertx vertx,
      Context ctx,
      SignatureVerifier laneVerifier,
      SignatureVerifier artifactVerifier,
      LaneInbox inbox,
      PartyCache parties,
      ArtifactService artifacts,
      MinerMetrics metrics) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.laneVerifier = laneVerifier;
    this.artifactVerifier = artifactVerifier;
    this.inbox = inbox;
    this.parties = parties;
    this.artifacts = artifacts;
    this.metrics = metrics;
  }

  @Override
  public void register(Router router) {
    router.post("/v1/lane/tensor").handler(laneVerifier).handler(this::handleTensor);
    router
        .get("/v1/rounds/:round/commitment")
        .handler(artifactVerifier)
        .handler(this::handleCommitment);
    router
        .get("/v1/rounds/:round/steps/:step/leaf")
        .handler(artifactVerifier)
        .handler(this::handleLeaf);
    router
        .get("/v1/rounds/:round/steps/:step/evidence")
        .handler(artifactVerifier)
        .handler(this::handleEvidence);
    router.get("/v1/rounds/:round/delta").handler(artifactVerifier).handler(this::handleDelta);
  }

  // ---- lane traffic ----

  private void handleTensor(RoutingContext rc) {
    Address signer = SignatureVerifier.signer(rc);
    String headerText = rc.request().getHeader(PeerClient.TENSOR_HEADER);
    if (headerText == null) {
      HttpErrors.send(rc, 400, PeerClient.TENSOR_HEADER + " header missing");
      return;
    }
    TensorMessage header;
    byte[] signature;
    try {
      JsonNode h = JSON.readTree(headerText);
      header =
          new TensorMessage(
              h.get("runId").asLong(),
              h.get("round").asLong(),
              h.get("lane").asInt(),
              h.get("step").asInt(),
              h.get("fromStage").asInt(),
              h.get("toStage").asInt(),
              Bytes32.fromHex(h.get("tensorHash").asText()));
      signature = Hex.decode(h.get("signature").asText());
    } catch (Exception e) {
      HttpErrors.send(rc, 400, "malformed " + PeerClient.TENSOR_HEADER + " header");
      return;
    }
    Optional<String> refusal = checkCoordinates(header, signer, rc);
    if (refusal.isPresent()) {
      return;
    }
    byte[] body =
        rc.body() == null || rc.body().buffer() == null
            ? new byte[0]
            : rc.body().buffer().getBytes();
    // decoding, hashing and signature recovery are CPU work: off the event loop
    vertx
        .executeBlocking(() -> acceptTensor(header, signature, signer, body))
        .onSuccess(
            refused -> {
              if (refused.isPresent()) {
                HttpErrors.send(rc, refused.get().status(), refused.get().message());
              } else {
                rc.response().setStatusCode(202).end();
              }
            })
        .onFailure(rc::fail);
  }

  /** Why a request is refused: its status and message. */
  private record Refusal(int status, String message) {}

  /** Checks the body against the signed header and stores the message; a refusal otherwise. */
  private Optional<Refusal> acceptTensor(
      TensorMessage header, byte[] signature, Address signer, byte[] body) {
    HostTensor tensor;
    try {
      tensor = TensorCodec.decode(body);
    } catch (RuntimeException e) {
      return Optional.of(new Refusal(400, "body is not a tensor in the canonical encoding"));
    }
    if (!TensorCodec.hash(tensor).equals(header.tensorHash())) {
      return Optional.of(new Refusal(400, "body does not hash to the signed tensorHash"));
    }
    long[] expected = {
      ctx.specs().train().microBatch(), ctx.specs().seqLength(), ctx.specs().model().dModel()
    };
    if (tensor.dtype() != HostTensor.DType.FLOAT32 || !Arrays.equals(tensor.shape(), expected)) {
      return Optional.of(
          new Refusal(
              400,
              "tensor must be float32 of shape " + Arrays.toString(expected) + ", got " + tensor));
    }
    Optional<Address> eip712Signer = header.recoverSigner(ctx.domain(), signature);
    if (eip712Signer.isEmpty() || !eip712Signer.get().equals(signer)) {
      return Optional.of(
          new Refusal(
              401, "the tensor's EIP-712 signature is not by the request's signer " + signer));
    }
    if (!inbox.offer(new SignedTensor(header, signature, tensor))) {
      return Optional.of(
          new Refusal(
              409,
              "duplicate: a tensor for this round, lane, step and direction was already accepted"));
    }
    metrics.bytesReceived(body.length);
    return Optional.empty();
  }

  /** Sends the refusal and returns it when the message is not for this miner's round and lane. */
  private Optional<String> checkCoordinates(TensorMessage h, Address signer, RoutingContext rc) {
    Optional<RoundPlan> current = ctx.trainingPlan().get();
    int status = 0;
    String why = null;
    if (h.runId() != ctx.runId()) {
      status = 400;
      why = "wrong run " + h.runId() + " (this node trains run " + ctx.runId() + ")";
    } else if (current.isEmpty() || h.round() > current.get().round()) {
      status = 425;
      why = "round " + h.round() + " is not being trained here yet";
    } else if (h.round() < current.get().round()) {
      status = 409;
      why =
          "out of round: round "
              + h.round()
              + " is over, this node trains round "
              + current.get().round();
    } else if (h.toStage() != ctx.stage()) {
      status = 400;
      why = "toStage " + h.toStage() + " is not this miner's stage " + ctx.stage();
    } else if (h.lane() != current.get().lane()) {
      status = 403;
      why = "this miner is not in lane " + h.lane() + " in round " + h.round();
    } else if (!current.get().peerAt(h.fromStage()).map(signer::equals).orElse(false)) {
      status = 403;
      why =
          "signer "
              + signer
              + " is not the lane peer at stage "
              + h.fromStage()
              + " in round "
              + h.round();
    } else if (h.step() < 0 || h.step() >= ctx.maxSteps()) {
      status = 400;
      why = "step " + h.step() + " outside 0.." + (ctx.maxSteps() - 1);
    }
    if (why != null) {
      HttpErrors.send(rc, status, why);
      return Optional.of(why);
    }
    return Optional.empty();
  }

  // ---- artifacts ----

  private void handleCommitment(RoutingContext rc) {
    withRound(
        rc,
        true,
        (round, served) -> {
          var c = served.trained().commitment();
          metrics.served("commitment");
          rc.json(
              new JsonObject()
                  .put("root", c.root().toHex())
                  .put("stepCount", c.stepCount())
                  .put("deltaHash", c.deltaHash().toHex())
                  .put("baseHash", c.baseHash().toHex())
                  .put("lane", served.trained().lane())
                  .put("stage", served.trained().stage()));
        });
  }

  private void handleLeaf(RoutingContext rc) {
    withRound(
        rc,
        false,
        (round, served) -> {
          Integer step = step(rc, served);
          if (step == null) {
            return;
          }
          StepLeaf leaf = served.tree().leaf(step);
          JsonArray values = new JsonArray();
          for (String v : leafValues(leaf)) {
            values.add(v);
          }
          JsonArray proof = new JsonArray();
          served.tree().proof(leaf).forEach(p -> proof.add(p.toHex()));
          metrics.served("leaf");
          rc.json(new JsonObject().put("leaf", values).put("proof", proof));
        });
  }

  private void handleEvidence(RoutingContext rc) {
    withRound(
        rc,
        false,
        (round, served) -> {
          Integer step = step(rc, served);
          if (step == null) {
            return;
          }
          vertx
              .executeBlocking(() -> artifacts.evidence(served, step))
              .onSuccess(
                  bytes -> {
                    metrics.served("evidence");
                    rc.response()
                        .putHeader("Content-Type", "application/octet-stream")
                        .end(Buffer.buffer(bytes));
                  })
              .onFailure(rc::fail);
        });
  }

  private void handleDelta(RoutingContext rc) {
    withRound(
        rc,
        true,
        (round, served) ->
            vertx
                .executeBlocking(() -> artifacts.delta(round).orElseThrow())
                .onSuccess(
                    bytes -> {
                      metrics.served("delta");
                      rc.response()
                          .putHeader("Content-Type", "application/octet-stream")
                          .end(Buffer.buffer(bytes));
                    })
                .onFailure(rc::fail));
  }

  private interface RoundHandler {
    void handle(long round, ArtifactService.ServedRound served);
  }

  /** Parses the round, checks who asks and the retention window, loads the round off the loop. */
  private void withRound(RoutingContext rc, boolean stagePeersToo, RoundHandler then) {
    long round;
    try {
      round = Long.parseLong(rc.pathParam("round"));
      if (round < 0) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      HttpErrors.send(rc, 400, "round must be a non-negative decimal number");
      return;
    }
    Address signer = SignatureVerifier.signer(rc);
    // commitment and delta: also the round's stage peers, and the validators of the rounds since,
    // who recompute each round's aggregation from the deltas of the round before (DESIGN §7)
    boolean allowed =
        parties.isValidator(round, signer)
            || (stagePeersToo
                && (parties.isStageMiner(round, signer) || parties.isRecentValidator(signer)));
    if (!allowed) {
      HttpErrors.send(
          rc,
          403,
          "signer "
              + signer
              + " is not a validator"
              + (stagePeersToo ? " or stage peer" : "")
              + " of round "
              + round);
      return;
    }
    long current = ctx.currentRound().getAsLong();
    if (round > current) {
      HttpErrors.send(rc, 404, "round " + round + " has not happened yet");
      return;
    }
    if (round <= current - ctx.retentionRounds()) {
      HttpErrors.send(rc, 410, "round " + round + " is past this node's retention window");
      return;
    }
    if (!stagePeersToo && !artifacts.servesValidators()) {
      HttpErrors.send(rc, 503, "withheld"); // the withholder adversary
      return;
    }
    vertx
        .executeBlocking(() -> artifacts.round(round))
        .onSuccess(
            served -> {
              if (served.isEmpty()) {
                HttpErrors.send(rc, 404, "this miner did not commit round " + round);
              } else {
                then.handle(round, served.get());
              }
            })
        .onFailure(rc::fail);
  }

  private static Integer step(RoutingContext rc, ArtifactService.ServedRound served) {
    int step;
    try {
      step = Integer.parseInt(rc.pathParam("step"));
    } catch (NumberFormatException e) {
      HttpErrors.send(rc, 400, "step must be a decimal number");
      return null;
    }
    if (step < 0 || step >= served.tree().leaves().size()) {
      HttpErrors.send(
          rc,
          404,
          "no step " + step + " (the round has " + served.tree().leaves().size() + " steps)");
      return null;
    }
    return step;
  }

  /** The 14 leaf values as strings, in StepLeaf's ABI order (numbers decimal, hashes 0x-hex). */
  static List<String> leafValues(StepLeaf l) {
    return List.of(
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
        l.paramsAfterHash().toHex());
  }
}
