package io.protolearn.protocol.economics;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The game-theoretic bound of DESIGN.md §9. A miner fabricating a fraction f of its K steps is
 * caught with probability {@code P = 1 − (1 − p)^(fK)}; fabrication is unprofitable when {@code P ×
 * slash > f × roundValue} for every f. Since P is concave in f, the worst case is the smallest
 * fabrication, one step (f = 1/K), which gives the minimum stake returned here.
 */
public final class SoundnessBound {
  private SoundnessBound() {}

  /** Probability that at least one of {@code fabricated} steps is sampled at rate p. */
  public static double detectionProbability(double sampleRate, long fabricated) {
    if (sampleRate < 0 || sampleRate > 1 || fabricated < 0) {
      throw new IllegalArgumentException("sampleRate in [0,1], fabricated >= 0");
    }
    return 1 - Math.pow(1 - sampleRate, fabricated);
  }

  /**
   * The least stake (in the reward's unit) that makes fabricating any number of steps unprofitable:
   * {@code max over n in 1..K of (n/K × roundValue) / (P(n) × slashFraction)}.
   */
  public static BigInteger minimumStake(
      double sampleRate, int stepsPerRound, BigInteger roundValue, int slashBps) {
    if (stepsPerRound <= 0 || slashBps <= 0 || slashBps > 10_000 || sampleRate <= 0) {
      throw new IllegalArgumentException(
          "need stepsPerRound > 0, 0 < slashBps <= 10000, sampleRate > 0");
    }
    BigDecimal value = new BigDecimal(roundValue);
    BigDecimal worst = BigDecimal.ZERO;
    for (int n = 1; n <= stepsPerRound; n++) {
      double gainFraction = (double) n / stepsPerRound;
      double riskFactor = detectionProbability(sampleRate, n) * slashBps / 10_000.0;
      BigDecimal needed = value.multiply(BigDecimal.valueOf(gainFraction / riskFactor));
      if (needed.compareTo(worst) > 0) {
        worst = needed;
      }
    }
    return worst.setScale(0, RoundingMode.CEILING).toBigIntegerExact();
  }
}
