package io.protolearn.node.cli;

import java.math.BigDecimal;
import java.math.BigInteger;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Amounts with 18 decimals (ETH in wei, model shares in their base unit): parse and print. */
public final class Ether {
  private static final int DECIMALS = 18;

  private Ether() {}

  /** A positive decimal amount of ETH ({@code 1.5}) in wei. */
  public static BigInteger parse(String text) {
    BigDecimal value;
    try {
      value = new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not an amount of ETH (e.g. 1.5)");
    }
    if (value.signum() <= 0) {
      throw new IllegalArgumentException("the amount must be positive, got " + text);
    }
    BigDecimal wei = value.movePointRight(DECIMALS);
    if (wei.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException(
          "'" + text + "' has more than " + DECIMALS + " decimals (1 wei = 1e-18 ETH)");
    }
    return wei.toBigIntegerExact();
  }

  /** {@code 1500000000000000000 → "1.5"}. */
  public static String format(BigInteger baseUnits) {
    BigDecimal v = new BigDecimal(baseUnits).movePointLeft(DECIMALS).stripTrailingZeros();
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
