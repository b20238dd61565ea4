package io.protolearn.validator.node;

import io.protolearn.chain.model.Challenge;
import io.protolearn.protocol.crypto.Address;
import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;
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

  /**
   * Adds to {@code verified}, as it goes, the committed miners of the round whose updates this
   * validator verified in the check window ({@link VerifiedDeltas}), to mark available in its
   * attestation; returns when all are or {@code timeUp}.
   */
  void available(RoundView view, Set<Address> verified, BooleanSupplier timeUp);

  /**
   * This validator's vote as a juror on {@code challenge}, given the {@code honest} verdict its own
   * check of the disputed step reached: the honest one, unless an adversary swaps it.
   */
  default boolean verdict(Challenge challenge, boolean honest) {
    return honest;
  }

  /** How often an update that could not be verified is asked for again in the check window. */
  Duration AVAILABILITY_RETRY = Duration.ofSeconds(1);

  /**
   * The honest checks, with the bases of {@code bases} when aggregation is checked (else null) and
   * the updates verified by {@code deltas}.
   */
  static StepChecks honest(
      StepChecker checker, Supplier<BaseTracker> bases, VerifiedDeltas deltas) {
    return new StepChecks() {
      @Override
      public CheckOutcome check(RoundView view, Address miner, int step) {
        return checker.check(view, miner, step);
      }

      @Override
      public void available(RoundView view, Set<Address> verified, BooleanSupplier timeUp) {
        deltas.availableOf(view, verified, timeUp, AVAILABILITY_RETRY);
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
