package io.protolearn.node.metrics;

import java.util.concurrent.atomic.AtomicLong;

/** A value that goes up and down (current round, open connections). Thread-safe. */
public final class Gauge implements Sample {
  private final AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(0));

  public void set(double v) {
    bits.set(Double.doubleToRawLongBits(v));
  }

  public void add(double delta) {
    bits.getAndUpdate(b -> Double.doubleToRawLongBits(Double.longBitsToDouble(b) + delta));
  }

  public void inc() {
    add(1);
  }

  public void dec() {
    add(-1);
  }

  @Override
  public double value() {
    return Double.longBitsToDouble(bits.get());
  }
}
