package io.protolearn.cli;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Amounts with 18 decimals (ETH in wei, model shares in their base unit): parse and print. */
public final class Ether {
  private static final int DECIMALS = 18;

  private Ether() {}

  /** A positive decimal amount of ETH ({@code 1.5}) in wei. */
  public static BigInteger parse(String text) {
    return parse(text, "ETH");
  }

  /**
   * A positive decimal amount of {@code unit} ({@code 12.5} shares) in its base unit, 1e-18 of it.
   */
  public static BigInteger parse(String text, String unit) {
    BigDecimal value;
    try {
      value = new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an amount of " + unit + " (e.g. 1.5)");
    }
    if (value.signum() <= 0) {
      throw new IllegalArgumentException("the amount must be positive, got " + text);
    }
    BigDecimal base = value.movePointRight(DECIMALS);
    if (base.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' has more than "
              + DECIMALS
              + " decimals (the smallest is 1e-18 "
              + unit
              + ")");
    }
    return base.toBigIntegerExact();
  }

  /** {@code 1500000000000000000 → "1.5"}. */
  public static String format(BigInteger baseUnits) {
    BigDecimal v = new BigDecimal(baseUnits).movePointLeft(DECIMALS).stripTrailingZeros();
    return v.signum() == 0 ? "0" : v.toPlainString();
  }

  /** {@code 1234567891000000000 → "1.234567"} with {@code maxDecimals} 6: rounded down. */
  public static String format(BigInteger baseUnits, int maxDecimals) {
    BigDecimal v =
        new BigDecimal(baseUnits)
            .movePointLeft(DECIMALS)
            .setScale(maxDecimals, RoundingMode.DOWN)
            .stripTrailingZeros();
    return v.signum() == 0 ? "0" : v.toPlainString();
  }

  public static String eth(BigInteger wei) {
    return format(wei) + " ETH";
  }

  /** The picocli converter of {@code --amount ETH}. */
  public static final class Converter implements ITypeConverter<BigInteger> {
    @Override
    public BigInteger convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
