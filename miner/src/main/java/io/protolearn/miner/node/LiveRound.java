package io.protolearn.miner.node;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** The round the node is at and the plan it trains now: written by the loop, read by the routes. */
final class LiveRound {
  private final AtomicLong current = new AtomicLong();
  private volatile RoundPlan training;

  long current() {
    return current.get();
  }

  void at(long round) {
    current.set(round);
  }

  Optional<RoundPlan> training() {
    return Optional.ofNullable(training);
  }

  void training(RoundPlan plan) {
    training = plan;
  }
}
