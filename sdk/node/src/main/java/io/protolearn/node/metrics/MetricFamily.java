package io.protolearn.node.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A metric with label names ({@code protolearn_http_requests_total{code}}) and one child time
 * series per combination of label values.
 */
public final class MetricFamily<T extends Sample> {
  private final String name;
  private final String help;
  private final String type;
  private final List<String> labelNames;
  private final Supplier<T> factory;
  private final Map<List<String>, T> children = new ConcurrentHashMap<>();

  MetricFamily(
      String name, String help, String type, List<String> labelNames, Supplier<T> factory) {
    this.name = name;
    this.help = help;
    this.type = type;
    Metrics.checkLabelNames(labelNames);
    this.labelNames = List.copyOf(labelNames);
    this.factory = factory;
  }

  /** The child for these label values (created on first use). */
  public T labels(String... values) {
    if (values.length != labelNames.size()) {
      throw new IllegalArgumentException(
          name + " has labels " + labelNames + ", got " + values.length + " value(s)");
    }
    return children.computeIfAbsent(List.of(values), k -> factory.get());
  }

  public String name() {
    return name;
  }

  boolean sameShape(MetricFamily<?> other) {
    return type.equals(other.type)
        && labelNames.equals(other.labelNames)
        && factory.get().getClass() == other.factory.get().getClass();
  }

  void writeTo(StringBuilder out) {
    out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    List<Map.Entry<List<String>, T>> entries = new ArrayList<>(children.entrySet());
    entries.sort(Comparator.comparing(e -> String.join("\u0000", e.getKey())));
    for (Map.Entry<List<String>, T> e : entries) {
      out.append(name);
      if (!labelNames.isEmpty()) {
        out.append('{');
        for (int i = 0; i < labelNames.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          out.append(labelNames.get(i))
              .append("=\"")
              .append(escapeLabel(e.getKey().get(i)))
              .append('"');
        }
        out.append('}');
      }
      out.append(' ').append(Metrics.formatValue(e.getValue().value())).append('\n');
    }
  }

  private static String escapeHelp(String s) {
    return s.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static String escapeLabel(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
