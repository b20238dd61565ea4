package io.protolearn.node.metrics;

import java.util.concurrent.atomic.DoubleAdder;

/** A value that only goes up (requests served, steps trained). Thread-safe. */
public final class Counter implements Sample {
  private final DoubleAdder value = new DoubleAdder();

  public void inc() {
    value.add(1);
  }

  public void inc(double amount) {
    if (amount < 0 || Double.isNaN(amount)) {
      throw new IllegalArgumentException("a counter only goes up, got " + amount);
    }
    value.add(amount);
  }

  @Override
  public double value() {
    return value.sum();
  }
}
