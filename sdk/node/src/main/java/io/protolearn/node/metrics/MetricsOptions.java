package io.protolearn.node.metrics;

import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --metrics-port} of a node's {@code run}: where its metrics are served, 127.0.0.1 only. */
public final class MetricsOptions {
  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      defaultValue = "0",
      description =
          "Serve Prometheus /metrics on 127.0.0.1:PORT only; 0 (default) picks a free port and"
              + " prints it, -1 serves none.")
  int port;

  /** Starts serving {@code metrics} unless the port is {@link MetricsServer#OFF}. */
  public Optional<MetricsServer> serve(Metrics metrics) {
    return MetricsServer.start(metrics, port);
  }
}
