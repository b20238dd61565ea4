package io.protolearn.node.metrics;

/** One time series' current value. */
@FunctionalInterface
public interface Sample {
  double value();
}
