package io.protolearn.holder;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/** Shares have 18 decimals; people type and read whole shares. */
final class Units {
  private static final BigDecimal ONE = new BigDecimal(BigInteger.TEN.pow(18));

  private Units() {}

  static BigInteger parseShares(String text) {
    BigDecimal v;
    try {
      v = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an amount of shares: '" + text + "'");
    }
    if (v.signum() <= 0) {
      throw new IllegalArgumentException("an amount of shares must be positive: " + text);
    }
    BigDecimal units = v.multiply(ONE);
    if (units.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("shares have at most 18 decimals: " + text);
    }
    return units.toBigIntegerExact();
  }

  static String formatShares(BigInteger units) {
    return new BigDecimal(units)
        .divide(ONE, 6, RoundingMode.DOWN)
        .stripTrailingZeros()
        .toPlainString();
  }
}
