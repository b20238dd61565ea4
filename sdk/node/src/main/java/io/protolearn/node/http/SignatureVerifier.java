package io.protolearn.node.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.protolearn.node.metrics.Metrics;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Hex;
import io.protolearn.protocol.crypto.Secp256k1;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A route handler that lets through only requests signed per {@link RequestSignature}: unsigned or
 * wrongly signed requests get 401, stale or replayed ones 409, a claimed signer outside the allowed
 * set 403 (each with a JSON message; staleness and the allowed set are checked before the signature
 * is recovered, and the recovery runs on a worker thread), a signer over its rate 429, and none of
 * them reaches the next handler. An accepted request carries its signer in the context ({@link
 * #signer(RoutingContext)}). A signature verifies only over this node's {@link
 * RequestSignature.Audience} (its chain id and address): a request signed for another node or
 * another chain is wrongly signed here. Mount it after the service's {@code BodyHandler}.
 */
public final class SignatureVerifier implements Handler<RoutingContext> {
  /** Context key of the verified signer ({@link Address}). */
  public static final String SIGNER_KEY = "protolearn.signer";

  /**
   * Settings: how far a timestamp may be from this node's clock; how many digests one signer may
   * have live (its rate limit: that many requests per 2 × maxSkew) and how many signers' digests
   * are held ({@link SignerReplayCaches}).
   */
  public record Config(Duration maxSkew, int replaysPerSigner, int signers) {
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofSeconds(30);
    public static final int DEFAULT_REPLAYS_PER_SIGNER = 10_000;
    public static final int DEFAULT_SIGNERS = 128;
    public static final Config DEFAULT =
        new Config(DEFAULT_MAX_SKEW, DEFAULT_REPLAYS_PER_SIGNER, DEFAULT_SIGNERS);

    public Config {
      if (maxSkew.isNegative() || maxSkew.isZero() || replaysPerSigner < 1 || signers < 1) {
        throw new IllegalArgumentException(
            "maxSkew, replaysPerSigner and signers must be positive");
      }
    }
  }

  private final Clock clock;
  private final Config config;
  private final RequestSignature.Audience self;
  private final Predicate<Address> allowed;
  private final String allowedDescription;
  private final SignerReplayCaches replays;
  private final Counter rejected;

  /**
   * @param self this node: the chain id and address requests must be signed for
   * @param allowed which signers may call (e.g. the registered validators, kept up to date by the
   *     node); must not block. They are also the signers that keep room in the replay caches.
   * @param allowedDescription what the allowed set is, for the 403 message ("a registered
   *     validator")
   */
  public SignatureVerifier(
      Clock clock,
      Config config,
      RequestSignature.Audience self,
      Predicate<Address> allowed,
      String allowedDescription,
      Metrics metrics) {
    this(clock, config, self, allowed, allowedDescription, allowed, metrics);
  }

  private SignatureVerifier(
      Clock clock,
      Config config,
      RequestSignature.Audience self,
      Predicate<Address> allowed,
      String allowedDescription,
      Predicate<Address> registered,
      Metrics metrics) {
    this.clock = clock;
    this.config = config;
    this.self = self;
    this.allowed = allowed;
    this.allowedDescription = allowedDescription;
    this.replays =
        new SignerReplayCaches(
            config.replaysPerSigner(),
            config.signers(),
            2 * config.maxSkew().toMillis(),
            registered);
    this.rejected =
        metrics.counter(
            "protolearn_http_signed_rejected_total",
            "signed-request checks that refused a request, by reason",
            "reason");
  }

  /** Any signer is allowed; only signature, freshness and replay are checked. */
  public static SignatureVerifier anySigner(
      Clock clock, Config config, RequestSignature.Audience self, Metrics metrics) {
    return anySigner(clock, config, self, a -> false, metrics);
  }

  /**
   * Any signer is allowed; the {@code registered} ones (run members, e.g. lane peers) keep room in
   * the replay caches when unregistered signers flood them.
   */
  public static SignatureVerifier anySigner(
      Clock clock,
      Config config,
      RequestSignature.Audience self,
      Predicate<Address> registered,
      Metrics metrics) {
    return new SignatureVerifier(clock, config, self, a -> true, "anyone", registered, metrics);
  }

  /** The verified signer of an accepted request. */
  public static Address signer(RoutingContext ctx) {
    Address a = ctx.get(SIGNER_KEY);
    if (a == null) {
      throw new IllegalStateException("no SignatureVerifier ran before this handler");
    }
    return a;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String signerHeader = ctx.request().getHeader(RequestSignature.SIGNER);
    String timestampHeader = ctx.request().getHeader(RequestSignature.TIMESTAMP);
    String nonceHeader = ctx.request().getHeader(RequestSignature.NONCE);
    String signatureHeader = ctx.request().getHeader(RequestSignature.SIGNATURE);
    if (signerHeader == null
        || timestampHeader == null
        || nonceHeader == null
        || signatureHeader == null) {
      reject(ctx, 401, "unsigned", "unsigned request: " + missing(ctx) + " header missing");
      return;
    }
    Address claimed;
    long timestamp;
    byte[] signature;
    try {
      claimed = Address.fromHex(signerHeader);
      timestamp = Long.parseLong(timestampHeader);
      if (Hex.decode(nonceHeader).length != RequestSignature.NONCE_BYTES) {
        throw new IllegalArgumentException("nonce");
      }
      signature = Hex.decode(signatureHeader);
    } catch (IllegalArgumentException e) {
      reject(ctx, 401, "malformed", "malformed signature headers");
      return;
    }
    // the cheap checks first, on the claimed signer: a stale request or a stranger's costs no
    // hashing and no signature recovery
    long skew = Math.abs(clock.millis() - timestamp);
    if (skew > config.maxSkew().toMillis()) {
      reject(
          ctx,
          409,
          "stale",
          "stale request: its timestamp is "
              + skew / 1000
              + " s from this node's clock (at most "
              + config.maxSkew().toSeconds()
              + " s allowed)");
      return;
    }
    if (!allowed.test(claimed)) {
      reject(ctx, 403, "not_allowed", "signer " + claimed + " is not " + allowedDescription);
      return;
    }
    String target;
    try {
      target = RequestSignature.target(ctx.request().uri());
    } catch (IllegalArgumentException e) {
      reject(ctx, 400, "malformed", "malformed request target");
      return;
    }
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    String method = ctx.request().method().name();
    // hashing the body and recovering the signer are the expensive part: on a worker, never on
    // the event loop (DESIGN §13 v2), so a flood of signed requests queues there instead of
    // stalling every other request
    ctx.vertx()
        .executeBlocking(
            () -> {
              Bytes32 digest =
                  RequestSignature.digest(self, method, target, timestamp, nonceHeader, bytes);
              return new Recovered(digest, Secp256k1.recover(digest, signature));
            },
            false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                reject(ctx, 401, "bad_signature", "signature could not be checked");
              } else {
                accept(ctx, claimed, ar.result());
              }
            });
  }

  private record Recovered(Bytes32 digest, Optional<Address> signer) {}

  private void accept(RoutingContext ctx, Address claimed, Recovered recovered) {
    if (recovered.signer().isEmpty() || !recovered.signer().get().equals(claimed)) {
      reject(
          ctx,
          401,
          "bad_signature",
          "signature does not match signer "
              + claimed
              + " for a request to "
              + self.recipient()
              + " on chain "
              + self.chainId());
      return;
    }
    switch (replays.record(claimed, recovered.digest(), clock.millis())) {
      case REPLAY ->
          reject(ctx, 409, "replay", "replayed request: this signature was already used");
      case SIGNER_FULL ->
          reject(
              ctx,
              429,
              "rate_limited",
              "too many requests from "
                  + claimed
                  + ": at most "
                  + config.replaysPerSigner()
                  + " per "
                  + 2 * config.maxSkew().toSeconds()
                  + " s; retry shortly");
      case NO_ROOM -> reject(ctx, 503, "busy", "too many signers in flight; retry shortly");
      case FRESH -> {
        ctx.put(SIGNER_KEY, claimed);
        ctx.next();
      }
    }
  }

  private void reject(RoutingContext ctx, int status, String reason, String message) {
    rejected.labelValues(reason).inc();
    HttpErrors.send(ctx, status, message);
  }

  private static String missing(RoutingContext ctx) {
    for (String h :
        new String[] {
          RequestSignature.SIGNER,
          RequestSignature.TIMESTAMP,
          RequestSignature.NONCE,
          RequestSignature.SIGNATURE
        }) {
      if (ctx.request().getHeader(h) == null) {
        return h;
      }
    }
    return "a signature";
  }
}
