package io.protolearn.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.node.metrics.Metrics;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client that opens connections and sends nothing (DESIGN §13 v2): before, it could hold every
 * connection it opened for ever, and open as many as it liked; now each closes after the idle
 * timeout, and connections beyond the cap are closed on arrival while the service keeps answering
 * on the others. Real sockets against a real server on 127.0.0.1.
 */
class ConnectionLimitsTest {
  private final Vertx vertx = Vertx.vertx();
  private NodeHttpService service;
  private int port;

  private void start(HttpConfig config) throws Exception {
    service = new NodeHttpService(vertx, config, new Metrics(), Optional::empty, List.of());
    port = service.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A raw connection whose reads give up after 10 s. */
  private Socket connect() throws Exception {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    return s;
  }

  /** Whether the server closed the connection (a read sees the end of the stream). */
  private static boolean closedByServer(Socket s) throws Exception {
    return s.getInputStream().read() == -1;
  }

  /**
   * The status line of a GET of the liveness path on {@code s}, the whole answer read; empty when
   * the connection is closed before one.
   */
  private static String live(Socket s) throws Exception {
    OutputStream out = s.getOutputStream();
    out.write(
        "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = s.getInputStream();
    String status = line(in);
    int length = 0;
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(h.substring("content-length:".length()).trim());
      }
    }
    in.readNBytes(length);
    return status;
  }

  /** One header line without its CRLF; empty at the end of the headers or of the stream. */
  private static String line(InputStream in) throws Exception {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Test
  void shouldCloseAConnectionThatStaysIdle() throws Exception {
    start(HttpConfig.builder().idleTimeout(Duration.ofMillis(300)).build());
    try (Socket idle = connect()) {
      assertThat(closedByServer(idle)).isTrue();
    }
  }

  @Test
  void shouldCloseConnectionsBeyondTheCapAndServeTheOthers() throws Exception {
    start(HttpConfig.builder().maxConnections(2).build());
    try (Socket first = connect();
        Socket second = connect()) {
      assertThat(live(first)).isEqualTo("HTTP/1.1 200 OK");
      assertThat(live(second)).isEqualTo("HTTP/1.1 200 OK");
      try (Socket third = connect()) {
        assertThat(live(third)).isEmpty(); // closed, not answered
      }
      assertThat(live(second)).isEqualTo("HTTP/1.1 200 OK");
    }
    // the slots are given back once the server has seen the connections close
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              try (Socket again = connect()) {
                return live(again).equals("HTTP/1.1 200 OK");
              }
            });
  }

  @Test
  void shouldRefuseAConfigWithoutLimits() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> HttpConfig.builder().maxConnections(0).build())
        .hasMessageContaining("maxConnections");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> HttpConfig.builder().idleTimeout(Duration.ZERO).build())
        .hasMessageContaining("idleTimeout");
  }
}
