package io.protolearn.validator.node;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The lazy-validator adversary of the devnet demo ({@code validator run --adversary lazy}): counts
 * every assigned step as a match without fetching or recomputing it (receipts over a zero leaf
 * hash), so it never challenges, prepares no bases, and marks every committed update available
 * without fetching any. Its jury duties stay honest: only the validator's own checks go through
 * this decorator.
 */
public final class LazyChecks implements StepChecks {
  /** Replaces {@code honest} (which it never consults) as a decorator of the node's checks. */
  public LazyChecks(StepChecks honest) {}

  @Override
  public CheckOutcome check(RoundView view, Address miner, int step) {
    return new CheckOutcome.Match(miner, step, Bytes32.ZERO);
  }

  @Override
  public void prepare(long currentRound) {}

  @Override
  public void available(RoundView view, Set<Address> verified, BooleanSupplier timeUp) {
    verified.addAll(view.commitments().keySet());
  }
}
