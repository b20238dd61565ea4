package io.protolearn.node.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Serves a node's {@link Metrics} at {@code /metrics} on 127.0.0.1 only (the Prometheus client's
 * HTTP server; {@code /-/healthy} answers too): metrics stay off the node's public port.
 */
public final class MetricsServer implements AutoCloseable {
  /** Metrics are served on the loopback interface only. */
  public static final String HOST = "127.0.0.1";

  /** The {@code --metrics-port} value that serves no metrics. */
  public static final int OFF = -1;

  private final HTTPServer server;

  private MetricsServer(HTTPServer server) {
    this.server = server;
  }

  /**
   * Starts serving on {@code 127.0.0.1:port}; port 0 picks a free port ({@link #port()}), {@link
   * #OFF} serves nothing.
   */
  public static Optional<MetricsServer> start(Metrics metrics, int port) {
    if (port == OFF) {
      return Optional.empty();
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "--metrics-port must be in 0..65535, or " + OFF + " for none; got " + port);
    }
    try {
      return Optional.of(
          new MetricsServer(
              HTTPServer.builder()
                  .hostname(HOST)
                  .port(port)
                  .registry(metrics.registry())
                  .buildAndStart()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on " + HOST + ":" + port, e);
    }
  }

  public int port() {
    return server.getPort();
  }

  public String url() {
    return "http://" + HOST + ":" + port() + "/metrics";
  }

  @Override
  public void close() {
    server.close();
  }
}
