package io.protolearn.validator.node;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;

/**
 * The lazy-validator adversary of the devnet demo ({@code validator run --adversary lazy}): counts
 * every assigned step as a match without fetching or recomputing it (receipts over a zero leaf
 * hash), so it never challenges, and prepares no bases. Its jury duties stay honest: only the
 * validator's own checks go through this decorator.
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
}
