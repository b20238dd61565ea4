package io.protolearn.node.artifact;

import io.protolearn.node.artifact.ArtifactSource.Access;
import io.protolearn.node.artifact.ArtifactSource.ServedRound;
import io.protolearn.node.http.HttpErrors;
import io.protolearn.node.http.NodeHttpService;
import io.protolearn.node.http.SignatureVerifier;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.leaf.StepLeaf;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The artifact routes of docs/NODE-API.md over an {@link ArtifactSource}: the commitment, a leaf
 * with its proof, a step's evidence and the delta of a committed round. Every request passes the
 * signature verifier first; every refusal is a 4xx/5xx with {@code {"error": ...}}; the source's
 * blocking reads run on worker threads, never on the event loop, unordered (a slow read does not
 * hold up the requests behind it).
 */
public final class ArtifactRoutes implements NodeHttpService.Routes {
  private final Vertx vertx;
  private final Handler<RoutingContext> verifier;
  private final ArtifactSource source;
  private final Consumer<String> served;

  /**
   * @param verifier the {@link SignatureVerifier} every request passes first
   * @param served told the kind of each artifact served ("commitment", "leaf", ...)
   */
  public ArtifactRoutes(
      Vertx vertx,
      Handler<RoutingContext> verifier,
      ArtifactSource source,
      Consumer<String> served) {
    this.vertx = vertx;
    this.verifier = verifier;
    this.source = source;
    this.served = served;
  }

  @Override
  public void register(Router router) {
    router.get(ArtifactApi.COMMITMENT_ROUTE).handler(verifier).handler(this::handleCommitment);
    router.get(ArtifactApi.LEAF_ROUTE).handler(verifier).handler(this::handleLeaf);
    router.get(ArtifactApi.EVIDENCE_ROUTE).handler(verifier).handler(this::handleEvidence);
    router.get(ArtifactApi.DELTA_ROUTE).handler(verifier).handler(this::handleDelta);
  }

  private void handleCommitment(RoutingContext rc) {
    withRound(
        rc,
        false,
        s -> {
          served.accept("commitment");
          rc.json(ArtifactApi.encodeCommitment(s.commitment()));
        });
  }

  private void handleLeaf(RoutingContext rc) {
    withStep(
        rc,
        (s, step) -> {
          StepLeaf leaf = s.tree().leaf(step);
          served.accept("leaf");
          rc.json(ArtifactApi.encodeLeaf(new ProvenLeaf(leaf, s.tree().proof(leaf))));
        });
  }

  private void handleEvidence(RoutingContext rc) {
    withStep(rc, (s, step) -> sendBytes(rc, "evidence", () -> source.evidence(s, step)));
  }

  private void handleDelta(RoutingContext rc) {
    withRound(rc, false, s -> sendBytes(rc, "delta", () -> source.delta(s)));
  }

  private void sendBytes(RoutingContext rc, String kind, Callable<byte[]> read) {
    vertx
        .executeBlocking(read, false)
        .onSuccess(
            bytes -> {
              served.accept(kind);
              rc.response()
                  .putHeader("Content-Type", "application/octet-stream")
                  .end(Buffer.buffer(bytes));
            })
        .onFailure(rc::fail);
  }

  /**
   * Parses the round, checks who asks, the round window and withholding, and loads the round off
   * the event loop. {@code validatorsOnly}: step artifacts, for the round's validators alone.
   */
  private void withRound(RoutingContext rc, boolean validatorsOnly, Consumer<ServedRound> then) {
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
    Access access = source.access(round, signer);
    if (access == Access.NONE || (validatorsOnly && access != Access.VALIDATOR)) {
      HttpErrors.send(
          rc,
          403,
          "signer "
              + signer
              + " is not a validator"
              + (validatorsOnly ? "" : " or stage peer")
              + " of round "
              + round);
      return;
    }
    long current = source.currentRound();
    if (round > current) {
      HttpErrors.send(rc, 404, "round " + round + " has not happened yet");
      return;
    }
    if (round <= current - source.retentionRounds()) {
      HttpErrors.send(rc, 410, "round " + round + " is past this node's retention window");
      return;
    }
    if ((validatorsOnly && !source.servesValidators())
        || (access == Access.PEER && !source.servesPeers())) {
      HttpErrors.send(rc, 503, "withheld");
      return;
    }
    vertx
        .executeBlocking(() -> source.round(round), false)
        .onSuccess(
            s -> {
              if (s.isEmpty()) {
                HttpErrors.send(rc, 404, "this miner did not commit round " + round);
              } else {
                then.accept(s.get());
              }
            })
        .onFailure(rc::fail);
  }

  /** A step artifact: the round as {@link #withRound} loads it, and the step parsed within it. */
  private void withStep(RoutingContext rc, BiConsumer<ServedRound, Integer> then) {
    withRound(
        rc,
        true,
        s -> {
          Integer step = step(rc, s);
          if (step != null) {
            then.accept(s, step);
          }
        });
  }

  private static Integer step(RoutingContext rc, ServedRound s) {
    int step;
    try {
      step = Integer.parseInt(rc.pathParam("step"));
    } catch (NumberFormatException e) {
      HttpErrors.send(rc, 400, "step must be a decimal number");
      return null;
    }
    int count = s.tree().leaves().size();
    if (step < 0 || step >= count) {
      HttpErrors.send(rc, 404, "no step " + step + " (the round has " + count + " steps)");
      return null;
    }
    return step;
  }
}
