package io.protolearn.node.artifact;

import io.protolearn.node.http.HttpErrors;
import io.protolearn.node.http.NodeHttpService;
import io.protolearn.protocol.crypto.Bytes32;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A validator's re-serving of the updates it verified (DESIGN.md §7 v2): {@code GET
 * /v1/deltas/{hash}} answers the canonical tensor-list bytes of a verified update whose committed
 * hash is {@code hash}, to signers the verifier admits (the run's miners and validators). A miner
 * that serves validators but withholds its update from its stage peers gains nothing: the peers
 * fetch it here and check it against the hash on chain. 400 for a malformed hash, 404 for one this
 * validator does not hold; the lookup runs off the event loop.
 */
public final class VerifiedDeltaRoutes implements NodeHttpService.Routes {
  private final Vertx vertx;
  private final Handler<RoutingContext> verifier;
  private final Function<Bytes32, Optional<byte[]>> lookup;
  private final Consumer<String> served;

  /**
   * @param lookup the encoded verified update of a hash (may block)
   * @param served told "verified-delta" for each update served
   */
  public VerifiedDeltaRoutes(
      Vertx vertx,
      Handler<RoutingContext> verifier,
      Function<Bytes32, Optional<byte[]>> lookup,
      Consumer<String> served) {
    this.vertx = vertx;
    this.verifier = verifier;
    this.lookup = lookup;
    this.served = served;
  }

  @Override
  public void register(Router router) {
    router.get(ArtifactApi.VERIFIED_DELTA_ROUTE).handler(verifier).handler(this::handle);
  }

  private void handle(RoutingContext rc) {
    Bytes32 hash;
    try {
      hash = Bytes32.fromHex(rc.pathParam("hash"));
    } catch (RuntimeException e) {
      HttpErrors.send(rc, 400, "hash must be 0x and 64 hex digits");
      return;
    }
    vertx
        .executeBlocking(() -> lookup.apply(hash), false)
        .onSuccess(
            bytes -> {
              if (bytes.isEmpty()) {
                HttpErrors.send(rc, 404, "no verified update with hash " + hash.toHex());
                return;
              }
              served.accept("verified-delta");
              rc.response()
                  .putHeader("Content-Type", "application/octet-stream")
                  .end(Buffer.buffer(bytes.get()));
            })
        .onFailure(rc::fail);
  }
}
