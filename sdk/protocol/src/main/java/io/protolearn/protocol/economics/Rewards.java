package io.protolearn.protocol.economics;

import java.math.BigInteger;

/**
 * Share minting of a finalized round (DESIGN.md §7): a miner gets {@code sharesPerRound × (10000 −
 * validatorShareBps) / 10000 × stepCount / acceptedSteps}; each attesting validator gets {@code
 * sharesPerRound × validatorShareBps / 10000 / attestingValidators}. Integer division rounds down,
 * as on chain; the multiplication comes first.
 */
public final class Rewards {
  private static final BigInteger BPS = BigInteger.valueOf(10_000);

  private Rewards() {}

  public static BigInteger minerPool(BigInteger sharesPerRound, int validatorShareBps) {
    return sharesPerRound.multiply(BigInteger.valueOf(10_000L - validatorShareBps)).divide(BPS);
  }

  public static BigInteger minerReward(
      BigInteger sharesPerRound, int validatorShareBps, long stepCount, long acceptedSteps) {
    if (acceptedSteps <= 0 || stepCount <= 0) {
      return BigInteger.ZERO;
    }
    return sharesPerRound
        .multiply(BigInteger.valueOf(10_000L - validatorShareBps))
        .multiply(BigInteger.valueOf(stepCount))
        .divide(BPS.multiply(BigInteger.valueOf(acceptedSteps)));
  }

  public static BigInteger validatorReward(
      BigInteger sharesPerRound, int validatorShareBps, long attestingValidators) {
    if (attestingValidators <= 0) {
      return BigInteger.ZERO;
    }
    return sharesPerRound
        .multiply(BigInteger.valueOf(validatorShareBps))
        .divide(BPS.multiply(BigInteger.valueOf(attestingValidators)));
  }
}
