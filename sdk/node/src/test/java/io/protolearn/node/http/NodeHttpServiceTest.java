package io.protolearn.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.node.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class NodeHttpServiceTest {
  private final AtomicReference<String> notReady = new AtomicReference<>("store not open");
  private NodeHttpService service;
  private WebClient client;
  private int port;
  private final Metrics metrics = new Metrics();

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    HttpConfig config = HttpConfig.builder().maxBodyBytes(1024).build();
    NodeHttpService.Routes echo =
        router -> router.post("/echo").handler(rc -> rc.response().end(rc.body().buffer()));
    service =
        new NodeHttpService(
            vertx, config, metrics, () -> Optional.ofNullable(notReady.get()), List.of(echo));
    client = WebClient.create(vertx);
    service
        .start()
        .onComplete(
            ctx.succeeding(
                p -> {
                  port = p;
                  ctx.completeNow();
                }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    service.stop().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void shouldAnswerLivenessAlwaysAndReadinessOnlyWhenReady(VertxTestContext ctx) {
    client
        .get(port, "127.0.0.1", "/health/live")
        .send()
        .compose(
            live -> {
              ctx.verify(() -> assertThat(live.statusCode()).isEqualTo(200));
              return client.get(port, "127.0.0.1", "/health/ready").send();
            })
        .compose(
            down -> {
              ctx.verify(
                  () -> {
                    assertThat(down.statusCode()).isEqualTo(503);
                    assertThat(down.bodyAsJsonObject())
                        .isEqualTo(
                            new JsonObject().put("status", "DOWN").put("reason", "store not open"));
                  });
              notReady.set(null);
              return client.get(port, "127.0.0.1", "/health/ready").send();
            })
        .onComplete(
            ctx.succeeding(
                up -> {
                  ctx.verify(() -> assertThat(up.statusCode()).isEqualTo(200));
                  ctx.completeNow();
                }));
  }

  @Test
  void shouldCountRequestsButServeNoMetricsOnThePublicPort(VertxTestContext ctx) {
    client
        .get(port, "127.0.0.1", "/health/live")
        .send()
        .compose(r -> client.get(port, "127.0.0.1", "/metrics").send())
        .onComplete(
            ctx.succeeding(
                r -> {
                  ctx.verify(
                      () -> {
                        assertThat(r.statusCode()).as("metrics are served apart").isEqualTo(404);
                        assertThat(metrics.scrape())
                            .contains("protolearn_http_requests_total{code=\"200\"} 1.0\n");
                      });
                  ctx.completeNow();
                }));
  }

  @Test
  void shouldRefuseAnOversizedBodyBeforeAnyHandlerWithJson(VertxTestContext ctx) {
    client
        .post(port, "127.0.0.1", "/echo")
        .sendBuffer(Buffer.buffer(new byte[2048]))
        .compose(
            big -> {
              ctx.verify(
                  () -> {
                    assertThat(big.statusCode()).isEqualTo(413);
                    assertThat(big.bodyAsJsonObject().getString("error"))
                        .isEqualTo("request body larger than 1024 bytes");
                  });
              return client.post(port, "127.0.0.1", "/echo").sendBuffer(Buffer.buffer("ok"));
            })
        .onComplete(
            ctx.succeeding(
                small -> {
                  ctx.verify(() -> assertThat(small.bodyAsString()).isEqualTo("ok"));
                  ctx.completeNow();
                }));
  }

  @Test
  void shouldAnswerUnknownRoutesAndMethodsWithJson(VertxTestContext ctx) {
    client
        .get(port, "127.0.0.1", "/nowhere")
        .send()
        .compose(
            r -> {
              ctx.verify(
                  () -> {
                    assertThat(r.statusCode()).isEqualTo(404);
                    assertThat(r.bodyAsJsonObject().getString("error"))
                        .isEqualTo("no route for GET /nowhere");
                  });
              return client.request(HttpMethod.DELETE, port, "127.0.0.1", "/health/live").send();
            })
        .onComplete(
            ctx.succeeding(
                r -> {
                  ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(405));
                  ctx.completeNow();
                }));
  }
}
