package io.protolearn.protocol.economics;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The game-theoretic bound of DESIGN.md §9. A miner fabricating a fraction f of its K steps is
 * caught with probability {@code P = 1 − (1 − p)^(fK)}; fabrication is unprofitable when {@code P ×
 * penalty > f × roundValue} for every f. The penalty is the <em>net</em> one, {@code stake ×
 * slashBps × (1 − reporterShareBps)}: a cheater can report itself first through a second address
 * and take the reporter's share of its own slash back (DESIGN §6, v2).
 */
public final class SoundnessBound {
  /**
   * The reporter's share of a slash, the DisputeManager's {@code REPORTER_SHARE_BPS} (checked
   * against the contract by the chain module's tests).
   */
  public static final int REPORTER_SHARE_BPS = 5_000;

  private SoundnessBound() {}

  /** Probability that at least one of {@code fabricated} steps is sampled at rate p. */
  public static double detectionProbability(double sampleRate, long fabricated) {
    if (sampleRate < 0 || sampleRate > 1 || fabricated < 0) {
      throw new IllegalArgumentException("sampleRate in [0,1], fabricated >= 0");
    }
    return 1 - Math.pow(1 - sampleRate, fabricated);
  }

  /**
   * The least stake (in the reward's unit) that makes fabricating any number of steps unprofitable
   * even for a cheater that reports itself: {@code max over n in 1..K of (n/K × roundValue) / (P(n)
   * × slashFraction × (1 − reporterShare))}.
   */
  public static BigInteger minimumStake(
      double sampleRate,
      int stepsPerRound,
      BigInteger roundValue,
      int slashBps,
      int reporterShareBps) {
    if (stepsPerRound <= 0
        || slashBps <= 0
        || slashBps > 10_000
        || sampleRate <= 0
        || reporterShareBps < 0
        || reporterShareBps >= 10_000) {
      throw new IllegalArgumentException(
          "need stepsPerRound > 0, 0 < slashBps <= 10000, sampleRate > 0,"
              + " 0 <= reporterShareBps < 10000");
    }
    double netFraction = slashBps / 10_000.0 * (10_000 - reporterShareBps) / 10_000.0;
    BigDecimal value = new BigDecimal(roundValue);
    BigDecimal worst = BigDecimal.ZERO;
    for (int n = 1; n <= stepsPerRound; n++) {
      double gainFraction = (double) n / stepsPerRound;
      double riskFactor = detectionProbability(sampleRate, n) * netFraction;
      BigDecimal needed = value.multiply(BigDecimal.valueOf(gainFraction / riskFactor));
      if (needed.compareTo(worst) > 0) {
        worst = needed;
      }
    }
    return worst.setScale(0, RoundingMode.CEILING).toBigIntegerExact();
  }

  /**
   * {@link #minimumStake(double, int, BigInteger, int, int)} with the contract's reporter share.
   */
  public static BigInteger minimumStake(
      double sampleRate, int stepsPerRound, BigInteger roundValue, int slashBps) {
    return minimumStake(sampleRate, stepsPerRound, roundValue, slashBps, REPORTER_SHARE_BPS);
  }
}
