package io.protolearn.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.node.http.SignedHttpClient.Limits;
import io.protolearn.node.http.SignedHttpClient.Response;
import io.protolearn.node.metrics.Metrics;
import io.protolearn.protocol.crypto.Secp256k1;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one signed client against a real server behind {@link SignatureVerifier}: every URL shape it
 * signs is accepted (both sides compute the signed target with {@link RequestSignature#target}),
 * and a peer that never answers or answers too much costs at most the deadline and the size limit.
 */
class SignedHttpClientTest {
  private static final Secp256k1.KeyPair KEY = Secp256k1.fromPrivateKey(BigInteger.valueOf(11));
  private static final Limits LIMITS = new Limits(Duration.ofSeconds(5), 1024);
  private static final RequestSignature.Audience SERVER =
      new RequestSignature.Audience(
          31337, Secp256k1.fromPrivateKey(BigInteger.valueOf(12)).address());

  private Vertx vertx;
  private NodeHttpService service;
  private SignedHttpClient client;
  private String base;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Metrics metrics = new Metrics();
    SignatureVerifier verifier =
        SignatureVerifier.anySigner(
            Clock.systemUTC(), SignatureVerifier.Config.DEFAULT, SERVER, metrics);
    NodeHttpService.Routes routes =
        router -> {
          router.get("/hang").handler(verifier).handler(rc -> {});
          router
              .get("/flood")
              .handler(verifier)
              .handler(rc -> rc.response().end(Buffer.buffer(new byte[4096])));
          router.route("/echo/*").handler(verifier).handler(this::echo);
        };
    service =
        new NodeHttpService(vertx, HttpConfig.DEFAULT, metrics, Optional::empty, List.of(routes));
    int port = service.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + port;
    client = new SignedHttpClient(vertx, new RequestSigner(KEY, SERVER.chainId()));
  }

  private void echo(io.vertx.ext.web.RoutingContext rc) {
    rc.response()
        .end(
            SignatureVerifier.signer(rc)
                + " "
                + RequestSignature.target(rc.request().uri())
                + " "
                + rc.body().asString());
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void shouldBeAcceptedForEveryShapeOfUrlItSigns() {
    for (String path :
        List.of("/echo/a", "/echo/a%20b/c?q=1&r=%2F", "/echo/x?y=", "/echo/f#frag")) {
      Fetched<Response> r =
          client.call(
              SERVER.recipient(),
              HttpMethod.POST,
              base + path,
              "body".getBytes(StandardCharsets.UTF_8),
              Map.of(),
              LIMITS);
      assertThat(r.ok()).as(path).isTrue();
      assertThat(r.value().statusCode()).as(path).isEqualTo(200);
      assertThat(r.value().bodyAsString())
          .isEqualTo(KEY.address() + " " + RequestSignature.target(base + path) + " body");
    }
  }

  @Test
  void shouldComputeTheSignedTargetAlikeFromAUrlAndFromTheRequestLine() {
    assertThat(RequestSignature.target("http://h:1")).isEqualTo("/");
    assertThat(RequestSignature.target("http://h:1/a%20b?x=1#f")).isEqualTo("/a%20b?x=1");
    assertThat(RequestSignature.target("/a%20b?x=1")).isEqualTo("/a%20b?x=1");
    assertThat(RequestSignature.target("http://h:1/v1/rounds/3/delta"))
        .isEqualTo(RequestSignature.target("/v1/rounds/3/delta"));
  }

  @Test
  void shouldAnswerErrorsAsResponsesAndGetAsFailures() {
    Fetched<Response> r =
        client.call(
            SERVER.recipient(), HttpMethod.GET, base + "/nothing", new byte[0], Map.of(), LIMITS);
    assertThat(r.ok()).isTrue();
    assertThat(r.value().statusCode()).isEqualTo(404);
    assertThat(r.value().bodyAsString()).contains("\"error\"");
    assertThat(client.get(SERVER.recipient(), base + "/nothing", LIMITS).failure())
        .isEqualTo("HTTP 404");
  }

  @Test
  void shouldGiveUpOnAPeerThatNeverAnswersAtTheDeadline() {
    long t0 = System.nanoTime();
    Fetched<byte[]> r =
        client.get(SERVER.recipient(), base + "/hang", new Limits(Duration.ofMillis(500), 1024));
    assertThat(r.failure()).contains("timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void shouldStopReadingAResponseOverTheLimit() {
    assertThat(client.get(SERVER.recipient(), base + "/flood", LIMITS).failure())
        .contains("over 1024");
    assertThat(
            client
                .get(SERVER.recipient(), base + "/flood", new Limits(Duration.ofSeconds(5), 4096))
                .value())
        .hasSize(4096);
  }

  @Test
  void shouldFailOnAnUnreachablePeerOrABadUrl() {
    assertThat(client.get(SERVER.recipient(), "http://127.0.0.1:1/x", LIMITS).ok()).isFalse();
    assertThat(client.get(SERVER.recipient(), "not a url", LIMITS).failure())
        .startsWith("bad endpoint");
  }
}
