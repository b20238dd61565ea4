package io.protolearn.protocol.crypto;

import java.util.HexFormat;

/** 0x-prefixed lowercase hex, as Ethereum tooling writes it. */
public final class Hex {
  private static final HexFormat FORMAT = HexFormat.of();

  private Hex() {}

  public static String encode(byte[] bytes) {
    return "0x" + FORMAT.formatHex(bytes);
  }

  /** Decodes hex with or without a 0x prefix; throws IllegalArgumentException on bad input. */
  public static byte[] decode(String hex) {
    String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    if (digits.length() % 2 != 0) {
      throw new IllegalArgumentException("odd-length hex string");
    }
    return FORMAT.parseHex(digits);
  }

  /** Decodes exactly 32 bytes of hex. */
  public static byte[] decode32(String hex) {
    byte[] bytes = decode(hex);
    if (bytes.length != 32) {
      throw new IllegalArgumentException("expected 32 bytes, got " + bytes.length);
    }
    return bytes;
  }
}
