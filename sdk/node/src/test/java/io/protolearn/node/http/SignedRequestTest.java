package io.protolearn.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.node.metrics.Metrics;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Hex;
import io.protolearn.protocol.crypto.Secp256k1;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every kind of bad signed request, sent to a real server on 127.0.0.1: each gets its status and a
 * JSON message, and none reaches the handler behind the verifier.
 */
@ExtendWith(VertxExtension.class)
class SignedRequestTest {
  private static final Secp256k1.KeyPair VALIDATOR =
      Secp256k1.fromPrivateKey(BigInteger.valueOf(7));
  private static final Secp256k1.KeyPair STRANGER = Secp256k1.fromPrivateKey(BigInteger.valueOf(8));
  private static final Secp256k1.KeyPair OTHER_VALIDATOR =
      Secp256k1.fromPrivateKey(BigInteger.valueOf(10));
  private static final long CHAIN = 31337;

  /** The node behind the verifier: requests are signed for it on {@link #CHAIN}. */
  private static final Address SERVER = Secp256k1.fromPrivateKey(BigInteger.valueOf(9)).address();

  private static RequestSigner signer(Secp256k1.KeyPair key) {
    return new RequestSigner(key, CHAIN);
  }

  private final AtomicInteger served = new AtomicInteger();
  private Vertx vertx;
  private NodeHttpService service;
  private WebClient web;
  private String base;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    Metrics metrics = new Metrics();
    SignatureVerifier verifier =
        new SignatureVerifier(
            Clock.systemUTC(),
            new SignatureVerifier.Config(Duration.ofSeconds(30), 3, 16),
            new RequestSignature.Audience(CHAIN, SERVER),
            Set.of(VALIDATOR.address(), OTHER_VALIDATOR.address())::contains,
            "a registered validator",
            metrics);
    NodeHttpService.Routes artifacts =
        router ->
            router
                .route("/artifacts/*")
                .handler(verifier)
                .handler(
                    rc -> {
                      served.incrementAndGet();
                      rc.response().end(SignatureVerifier.signer(rc) + " " + rc.body().length());
                    });
    service =
        new NodeHttpService(
            vertx, HttpConfig.DEFAULT, metrics, Optional::empty, List.of(artifacts));
    web = WebClient.create(vertx);
    service
        .start()
        .onComplete(
            ctx.succeeding(
                p -> {
                  base = "http://127.0.0.1:" + p;
                  ctx.completeNow();
                }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    service.stop().onComplete(ctx.succeedingThenComplete());
  }

  private static final SignedHttpClient.Limits LIMITS =
      new SignedHttpClient.Limits(Duration.ofSeconds(5), 64 * 1024);

  /** An answer, from the signed client or a raw request. */
  private record Answer(int statusCode, String contentType, String body) {
    static Answer of(HttpResponse<Buffer> r) {
      return new Answer(r.statusCode(), r.getHeader("Content-Type"), r.bodyAsString());
    }

    JsonObject bodyAsJsonObject() {
      return new JsonObject(body);
    }
  }

  private Future<Answer> signed(
      Secp256k1.KeyPair key, Clock clock, HttpMethod method, String url, String body) {
    SignedHttpClient client = new SignedHttpClient(vertx, new RequestSigner(key, CHAIN, clock));
    return client
        .send(SERVER, method, url, body.getBytes(StandardCharsets.UTF_8), Map.of(), LIMITS)
        .map(
            f -> {
              if (!f.ok()) {
                throw new IllegalStateException(f.failure());
              }
              return new Answer(f.value().statusCode(), null, f.value().bodyAsString());
            });
  }

  /** Sends a raw request with the given headers (for forged ones). */
  private Future<Answer> raw(String path, Map<String, String> headers, Buffer body) {
    HttpRequest<Buffer> r = web.requestAbs(HttpMethod.POST, base + path);
    headers.forEach(r::putHeader);
    return r.sendBuffer(body).map(Answer::of);
  }

  private static Consumer<Answer> refused(int status, String messageStart) {
    return r -> {
      assertThat(r.statusCode()).isEqualTo(status);
      if (r.contentType() != null) {
        assertThat(r.contentType()).isEqualTo("application/json");
      }
      assertThat(r.bodyAsJsonObject().getString("error")).startsWith(messageStart);
    };
  }

  private void expect(VertxTestContext ctx, Future<Answer> f, Consumer<Answer> check) {
    f.onComplete(
        ctx.succeeding(
            r -> {
              ctx.verify(
                  () -> {
                    check.accept(r);
                    if (r.statusCode() != 200) {
                      assertThat(served).as("requests that reached the handler").hasValue(0);
                    }
                  });
              ctx.completeNow();
            }));
  }

  @Test
  void shouldServeASignedRequestFromAnAllowedSignerAndNameIt(VertxTestContext ctx) {
    expect(
        ctx,
        signed(
            VALIDATOR,
            Clock.systemUTC(),
            HttpMethod.POST,
            base + "/artifacts/3/7?part=leaf",
            "hello"),
        r -> {
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.body()).isEqualTo(VALIDATOR.address() + " 5");
        });
  }

  @Test
  void shouldRefuseAnUnsignedRequestWith401(VertxTestContext ctx) {
    expect(
        ctx,
        web.getAbs(base + "/artifacts/3/7").send().map(Answer::of),
        refused(401, "unsigned request: X-Protolearn-Signer header missing"));
  }

  @Test
  void shouldRefuseASignatureByAnotherKeyWith401(VertxTestContext ctx) {
    Map<String, String> h =
        new java.util.HashMap<>(
            signer(STRANGER).headers(SERVER, "POST", "/artifacts/1", "x".getBytes()));
    h.put(RequestSignature.SIGNER, VALIDATOR.address().toHex()); // claims to be the validator
    expect(
        ctx,
        raw("/artifacts/1", h, Buffer.buffer("x")),
        refused(401, "signature does not match signer " + VALIDATOR.address()));
  }

  @Test
  void shouldRefuseARequestSignedForAnotherNodeWith401(VertxTestContext ctx) {
    // a validator's request to one miner, replayed by that miner (or anyone on the path) to
    // another: before v2 the signature bound no recipient, and the replay was served as the
    // validator's
    Address elsewhere = STRANGER.address();
    Map<String, String> h =
        signer(VALIDATOR).headers(elsewhere, "POST", "/artifacts/1", new byte[0]);
    expect(ctx, raw("/artifacts/1", h, Buffer.buffer()), refused(401, "signature does not match"));
  }

  @Test
  void shouldRefuseARequestSignedForAnotherChainWith401(VertxTestContext ctx) {
    // the same keys on a devnet and a testnet: a request from one does not verify on the other
    Map<String, String> h =
        new RequestSigner(VALIDATOR, CHAIN + 1)
            .headers(SERVER, "POST", "/artifacts/1", new byte[0]);
    expect(
        ctx,
        raw("/artifacts/1", h, Buffer.buffer()),
        refused(
            401,
            "signature does not match signer "
                + VALIDATOR.address()
                + " for a request to "
                + SERVER
                + " on chain "
                + CHAIN));
  }

  @Test
  void shouldRefuseATamperedBodyWith401(VertxTestContext ctx) {
    Map<String, String> h =
        signer(VALIDATOR).headers(SERVER, "POST", "/artifacts/1", "original".getBytes());
    expect(
        ctx,
        raw("/artifacts/1", h, Buffer.buffer("tampered")),
        refused(401, "signature does not match"));
  }

  @Test
  void shouldRefuseASignatureMovedToAnotherPathWith401(VertxTestContext ctx) {
    Map<String, String> h = signer(VALIDATOR).headers(SERVER, "POST", "/artifacts/1", new byte[0]);
    expect(ctx, raw("/artifacts/2", h, Buffer.buffer()), refused(401, "signature does not match"));
  }

  @Test
  void shouldRefuseMalformedSignatureHeadersWith401(VertxTestContext ctx) {
    Map<String, String> h =
        new java.util.HashMap<>(
            signer(VALIDATOR).headers(SERVER, "POST", "/artifacts/1", new byte[0]));
    h.put(RequestSignature.SIGNATURE, "0xnothex");
    expect(
        ctx, raw("/artifacts/1", h, Buffer.buffer()), refused(401, "malformed signature headers"));
  }

  @Test
  void shouldRefuseAStaleRequestWith409(VertxTestContext ctx) {
    Clock fiveMinutesAgo = Clock.fixed(Instant.now().minus(Duration.ofMinutes(5)), ZoneOffset.UTC);
    expect(
        ctx,
        signed(VALIDATOR, fiveMinutesAgo, HttpMethod.GET, base + "/artifacts/1", ""),
        refused(409, "stale request"));
  }

  @Test
  void shouldRefuseAReplayedRequestWith409(VertxTestContext ctx) {
    Map<String, String> h =
        signer(VALIDATOR).headers(SERVER, "POST", "/artifacts/1", "once".getBytes());
    raw("/artifacts/1", h, Buffer.buffer("once"))
        .compose(
            first -> {
              ctx.verify(() -> assertThat(first.statusCode()).isEqualTo(200));
              return raw("/artifacts/1", h, Buffer.buffer("once"));
            })
        .onComplete(
            ctx.succeeding(
                again -> {
                  ctx.verify(
                      () -> {
                        refused(409, "replayed request").accept(again);
                        assertThat(served).hasValue(1);
                      });
                  ctx.completeNow();
                }));
  }

  @Test
  void shouldRefuseAReplayWithTheRecoveryIdWrittenDifferently(VertxTestContext ctx) {
    Map<String, String> h =
        new java.util.HashMap<>(
            signer(VALIDATOR).headers(SERVER, "POST", "/artifacts/1", new byte[0]));
    raw("/artifacts/1", h, Buffer.buffer())
        .compose(
            first -> {
              ctx.verify(() -> assertThat(first.statusCode()).isEqualTo(200));
              byte[] sig = Hex.decode(h.get(RequestSignature.SIGNATURE));
              sig[64] = (byte) (sig[64] - 27); // v as 0/1 instead of 27/28: same signature
              h.put(RequestSignature.SIGNATURE, Hex.encode(sig));
              return raw("/artifacts/1", h, Buffer.buffer());
            })
        .onComplete(
            ctx.succeeding(
                again -> {
                  ctx.verify(() -> refused(409, "replayed request").accept(again));
                  ctx.completeNow();
                }));
  }

  @Test
  void shouldRefuseAWellSignedRequestFromOutsideTheAllowedSetWith403(VertxTestContext ctx) {
    Address stranger = STRANGER.address();
    expect(
        ctx,
        signed(STRANGER, Clock.systemUTC(), HttpMethod.GET, base + "/artifacts/1", ""),
        refused(403, "signer " + stranger + " is not a registered validator"));
  }

  @Test
  void shouldRateLimitOneSignerWithoutRefusingTheOthers(VertxTestContext ctx) {
    // before v2 one replay cache was shared: a signer sending fast enough filled it, and every
    // signer was refused (503) until its entries expired; now the flooder alone gets 429
    Future<Answer> flood = Future.succeededFuture();
    for (int i = 0; i < 3; i++) {
      flood =
          flood.compose(
              a -> signed(VALIDATOR, Clock.systemUTC(), HttpMethod.GET, base + "/artifacts/1", ""));
    }
    flood
        .compose(
            a -> signed(VALIDATOR, Clock.systemUTC(), HttpMethod.GET, base + "/artifacts/1", ""))
        .compose(
            limited -> {
              ctx.verify(
                  () ->
                      refused(429, "too many requests from " + VALIDATOR.address())
                          .accept(limited));
              return signed(
                  OTHER_VALIDATOR, Clock.systemUTC(), HttpMethod.GET, base + "/artifacts/1", "");
            })
        .onComplete(
            ctx.succeeding(
                other -> {
                  ctx.verify(
                      () -> {
                        assertThat(other.statusCode()).isEqualTo(200);
                        assertThat(served).hasValue(4);
                      });
                  ctx.completeNow();
                }));
  }
}
