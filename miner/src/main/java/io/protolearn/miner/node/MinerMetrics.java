package io.protolearn.miner.node;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.protolearn.node.metrics.Metrics;
import java.util.concurrent.atomic.AtomicLong;

/** The miner's Prometheus metrics (served on the local metrics port, {@code --metrics-port}). */
final class MinerMetrics {
  private final Counter steps;
  private final Histogram stepSeconds;
  private final Counter rounds;
  private final Counter commits;
  private final Gauge commitLatency;
  private final Counter bytesSent;
  private final Counter bytesReceived;
  private final Counter served;
  private final Gauge lastLoss;
  private final Gauge round;
  private final AtomicLong lastStepEnd = new AtomicLong();

  MinerMetrics(Metrics m) {
    steps = m.counter("protolearn_miner_steps_total", "inner training steps done");
    stepSeconds =
        m.histogram(
            "protolearn_miner_step_seconds",
            "seconds per inner step, lane exchanges included (from the round's start or the"
                + " previous step)");
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
        m.counter("protolearn_miner_artifacts_served_total", "artifacts served, by kind", "kind");
    lastLoss = m.gauge("protolearn_miner_last_loss", "mean training loss of the last round");
    round = m.gauge("protolearn_miner_round", "the round the node last worked on");
  }

  /** A round's steps start now: the first step's time is counted from here. */
  void stepsStarted() {
    lastStepEnd.set(System.nanoTime());
  }

  void step() {
    steps.inc();
    long now = System.nanoTime();
    stepSeconds.observe((now - lastStepEnd.getAndSet(now)) / 1e9);
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
    served.labelValues(kind).inc();
  }
}
