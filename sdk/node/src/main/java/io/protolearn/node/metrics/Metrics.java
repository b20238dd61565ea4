package io.protolearn.node.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * A small registry of counters and gauges, written out in the Prometheus text exposition format
 * (version 0.0.4). Families appear in registration order, children sorted by label values.
 */
public final class Metrics {
  /** The Content-Type of {@link #scrape()}'s output. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final Map<String, MetricFamily<?>> families = new LinkedHashMap<>();

  public Counter counter(String name, String help) {
    return counterFamily(name, help).labels();
  }

  public MetricFamily<Counter> counterFamily(String name, String help, String... labelNames) {
    return register(new MetricFamily<>(name, help, "counter", List.of(labelNames), Counter::new));
  }

  public Gauge gauge(String name, String help) {
    return gaugeFamily(name, help).labels();
  }

  public MetricFamily<Gauge> gaugeFamily(String name, String help, String... labelNames) {
    return register(new MetricFamily<>(name, help, "gauge", List.of(labelNames), Gauge::new));
  }

  /** A gauge whose value is read from {@code source} at every scrape. */
  public synchronized void gauge(String name, String help, DoubleSupplier source) {
    if (families.containsKey(name)) {
      throw new IllegalArgumentException("metric " + name + " is already registered");
    }
    register(new MetricFamily<Sample>(name, help, "gauge", List.of(), () -> source::getAsDouble))
        .labels();
  }

  /** Every metric in the text exposition format. */
  public synchronized String scrape() {
    StringBuilder out = new StringBuilder();
    for (MetricFamily<?> f : families.values()) {
      f.writeTo(out);
    }
    return out.toString();
  }

  /**
   * Registers a family, or returns the one already registered under that name if it has the same
   * type and labels (two services sharing a registry share their metric); anything else clashes.
   */
  @SuppressWarnings("unchecked")
  private synchronized <T extends Sample> MetricFamily<T> register(MetricFamily<T> family) {
    if (!NAME.matcher(family.name()).matches()) {
      throw new IllegalArgumentException("not a valid metric name: " + family.name());
    }
    MetricFamily<?> existing = families.get(family.name());
    if (existing == null) {
      families.put(family.name(), family);
      return family;
    }
    if (!existing.sameShape(family)) {
      throw new IllegalArgumentException(
          "metric " + family.name() + " is already registered with another type or labels");
    }
    return (MetricFamily<T>) existing;
  }

  static void checkLabelNames(List<String> names) {
    for (String n : names) {
      if (!LABEL.matcher(n).matches() || n.startsWith("__")) {
        throw new IllegalArgumentException("not a valid label name: " + n);
      }
    }
  }

  /** Integers without a fraction, {@code NaN}, {@code +Inf}, {@code -Inf}, else Java's form. */
  static String formatValue(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
