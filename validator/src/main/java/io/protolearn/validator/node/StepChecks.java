package io.protolearn.validator.node;

import io.protolearn.protocol.crypto.Address;
import java.util.function.Supplier;

/**
 * How this validator does the checks assigned to it: the honest way ({@link #honest}) recomputes
 * each step with the {@link StepChecker} and keeps the aggregated bases ready; an adversary of the
 * devnet demo is a decorator swapped in by the {@link ValidatorAssembly} ({@link LazyChecks}).
 */
public interface StepChecks {
  /** Checks one assigned step of {@code miner} in the round of {@code view}. */
  CheckOutcome check(RoundView view, Address miner, int step);

  /** Work done ahead of the checks at every tick (the aggregation of the current round's bases). */
  void prepare(long currentRound);

  /** The honest checks, with the bases of {@code bases} when aggregation is checked (else null). */
  static StepChecks honest(StepChecker checker, Supplier<BaseTracker> bases) {
    return new StepChecks() {
      @Override
      public CheckOutcome check(RoundView view, Address miner, int step) {
        return checker.check(view, miner, step);
      }

      @Override
      public void prepare(long currentRound) {
        BaseTracker b = bases.get();
        if (b != null) {
          b.prepare(currentRound);
        }
      }
    };
  }
}
