package io.protolearn.node.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * A node's metrics: a registry of the Prometheus Java client, written in the Prometheus text format
 * and served on a local port by {@link MetricsServer}. Registering a name again with the same type
 * and labels returns the metric already registered (two services sharing a registry share it).
 */
public final class Metrics {
  /** Seconds buckets from 1 ms to 2 min: RPC calls, training steps and checks all fit. */
  public static final double[] SECONDS =
      new double[] {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Map<String, Registered> byName = new HashMap<>();

  private record Registered(Collector collector, String type, List<String> labels) {}

  /** A registry with the client's JVM metrics (memory, GC, threads, class loading...). */
  public static Metrics withJvmMetrics() {
    Metrics m = new Metrics();
    JvmMetrics.builder().register(m.registry);
    return m;
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public Counter counter(String name, String help, String... labelNames) {
    return register(
        name,
        "counter",
        labelNames,
        () -> Counter.builder().name(name).help(help).labelNames(labelNames).register(registry));
  }

  public Gauge gauge(String name, String help, String... labelNames) {
    return register(
        name,
        "gauge",
        labelNames,
        () -> Gauge.builder().name(name).help(help).labelNames(labelNames).register(registry));
  }

  /** A gauge whose value is read from {@code source} at every scrape. */
  public GaugeWithCallback gauge(String name, String help, DoubleSupplier source) {
    return register(
        name,
        "callback gauge",
        new String[0],
        () ->
            GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .callback(cb -> cb.call(source.getAsDouble()))
                .register(registry));
  }

  /** A histogram of seconds with the {@link #SECONDS} buckets. */
  public Histogram histogram(String name, String help, String... labelNames) {
    return register(
        name,
        "histogram",
        labelNames,
        () ->
            Histogram.builder()
                .name(name)
                .help(help)
                .labelNames(labelNames)
                .classicOnly()
                .classicUpperBounds(SECONDS)
                .register(registry));
  }

  /** Every metric in the Prometheus text format ({@link MetricsServer} serves the same). */
  public String scrape() {
    MetricSnapshots snapshots = registry.scrape();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, snapshots);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  private synchronized <T extends Collector> T register(
      String name, String type, String[] labelNames, java.util.function.Supplier<T> create) {
    Registered existing = byName.get(name);
    if (existing == null) {
      T collector = create.get();
      byName.put(name, new Registered(collector, type, List.of(labelNames)));
      return collector;
    }
    if (!existing.type().equals(type) || !existing.labels().equals(List.of(labelNames))) {
      throw new IllegalArgumentException(
          "metric " + name + " is already registered with another type or labels");
    }
    return (T) existing.collector();
  }
}
