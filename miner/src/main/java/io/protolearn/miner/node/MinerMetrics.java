package io.protolearn.miner.node;

import io.protolearn.node.metrics.Counter;
import io.protolearn.node.metrics.Gauge;
import io.protolearn.node.metrics.MetricFamily;
import io.protolearn.node.metrics.Metrics;

/** The miner's Prometheus metrics (served at {@code /metrics}). */
final class MinerMetrics {
  private final Counter steps;
  private final Counter rounds;
  private final Counter commits;
  private final Gauge commitLatency;
  private final Counter bytesSent;
  private final Counter bytesReceived;
  private final MetricFamily<Counter> served;
  private final Gauge lastLoss;
  private final Gauge round;

  MinerMetrics(Metrics m) {
    steps = m.counter("protolearn_miner_steps_total", "inner training steps done");
    rounds = m.counter("protolearn_miner_rounds_total", "rounds trained (sealed in the store)");
    commits = m.counter("protolearn_miner_commits_total", "commit transactions mined");
    commitLatency =
        m.gauge(
            "protolearn_miner_commit_latency_seconds",
            "seconds from sending the last commit to its receipt");
    bytesSent =
        m.counter("protolearn_miner_lane_bytes_sent_total", "tensor bytes sent to lane peers");
    bytesReceived =
        m.counter(
            "protolearn_miner_lane_bytes_received_total", "tensor bytes accepted from lane peers");
    served =
        m.counterFamily(
            "protolearn_miner_artifacts_served_total", "artifacts served, by kind", "kind");
    lastLoss = m.gauge("protolearn_miner_last_loss", "mean training loss of the last round");
    round = m.gauge("protolearn_miner_round", "the round the node last worked on");
  }

  void step() {
    steps.inc();
  }

  void roundTrained(long r, double loss) {
    rounds.inc();
    round.set(r);
    if (!Double.isNaN(loss)) {
      lastLoss.set(loss);
    }
  }

  void committed(double seconds) {
    commits.inc();
    commitLatency.set(seconds);
  }

  void bytesSent(long n) {
    bytesSent.inc(n);
  }

  void bytesReceived(long n) {
    bytesReceived.inc(n);
  }

  void served(String kind) {
    served.labels(kind).inc();
  }
}
