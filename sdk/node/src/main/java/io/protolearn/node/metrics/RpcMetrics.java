package io.protolearn.node.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.protolearn.chain.client.RpcListener;

/** The latency of the node's JSON-RPC calls to its chain, by method and outcome. */
public final class RpcMetrics implements RpcListener {
  private final Histogram seconds;

  public RpcMetrics(Metrics metrics) {
    seconds =
        metrics.histogram(
            "protolearn_rpc_seconds",
            "seconds per JSON-RPC call to the chain, by method and outcome (ok, error)",
            "method",
            "outcome");
  }

  @Override
  public void completed(String method, double s, boolean ok) {
    seconds.labelValues(method, ok ? "ok" : "error").observe(s);
  }
}
