package io.protolearn.miner.node;

import io.protolearn.node.artifact.ArtifactApi;
import io.protolearn.node.artifact.ArtifactRoutes;
import io.protolearn.node.artifact.ArtifactSource;
import io.protolearn.node.artifact.ServedCommitment;
import io.protolearn.node.http.HttpErrors;
import io.protolearn.node.http.NodeHttpService;
import io.protolearn.node.http.SignatureVerifier;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.training.lane.LaneInbox;
import io.protolearn.training.lane.SignedTensor;
import io.protolearn.training.lane.TensorBounds;
import io.protolearn.training.spec.RunSpecs;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The miner's routes of docs/NODE-API.md: lane tensors from lane peers, and the artifacts of
 * committed rounds for the round's validators (delta and commitment also for stage peers), served
 * by the shared {@link ArtifactRoutes} over the node's store and journal. Every refusal is a 4xx
 * with {@code {"error": ...}} and changes nothing; chain and disk reads run on worker threads,
 * never on the event loop.
 */
final class MinerRoutes implements NodeHttpService.Routes {
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
    router.post(ArtifactApi.LANE_TENSOR).handler(laneVerifier).handler(this::handleTensor);
    new ArtifactRoutes(vertx, artifactVerifier, artifactSource(), metrics::served).register(router);
  }

  // ---- lane traffic ----

  private void handleTensor(RoutingContext rc) {
    Address signer = SignatureVerifier.signer(rc);
    String headerText = rc.request().getHeader(ArtifactApi.TENSOR_HEADER);
    if (headerText == null) {
      HttpErrors.send(rc, 400, ArtifactApi.TENSOR_HEADER + " header missing");
      return;
    }
    TensorMessage header;
    byte[] signature;
    try {
      ArtifactApi.TensorHeader h = ArtifactApi.decodeTensorHeader(headerText);
      header = h.message();
      signature = h.signature();
    } catch (IllegalArgumentException e) {
      HttpErrors.send(rc, 400, "malformed " + ArtifactApi.TENSOR_HEADER + " header");
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
    Optional<String> bounds = TensorBounds.problem(tensor);
    if (bounds.isPresent()) {
      return Optional.of(new Refusal(422, "tensor refused: " + bounds.get()));
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

  /** The node's committed rounds, as the shared artifact routes serve them. */
  private ArtifactSource artifactSource() {
    return new ArtifactSource() {
      @Override
      public Access access(long round, Address signer) {
        return parties.access(round, signer);
      }

      @Override
      public long currentRound() {
        return ctx.currentRound().getAsLong();
      }

      @Override
      public long retentionRounds() {
        return ctx.retentionRounds();
      }

      @Override
      public boolean servesValidators() {
        return artifacts.servesValidators();
      }

      @Override
      public boolean servesPeers() {
        return artifacts.servesPeers();
      }

      @Override
      public Optional<ServedRound> round(long round) {
        return artifacts
            .round(round)
            .map(
                r ->
                    new ServedRound(
                        round,
                        new ServedCommitment(
                            r.trained().commitment(), r.trained().lane(), r.trained().stage()),
                        r.tree()));
      }

      @Override
      public byte[] evidence(ServedRound round, int step) {
        return artifacts.evidence(artifacts.round(round.round()).orElseThrow(), step);
      }

      @Override
      public byte[] delta(ServedRound round) {
        return artifacts.delta(round.round()).orElseThrow();
      }
    };
  }
}
