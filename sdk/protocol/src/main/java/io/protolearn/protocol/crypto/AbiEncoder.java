package io.protolearn.protocol.crypto;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;

/**
 * Solidity {@code abi.encode} (and {@code abi.encodePacked}) of static values: every value of
 * {@code abi.encode} takes one 32-byte word.
 */
public final class AbiEncoder {
  private static final BigInteger MAX_UINT256 =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public static AbiEncoder create() {
    return new AbiEncoder();
  }

  public AbiEncoder uint(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("uint256 cannot be negative: " + value);
    }
    return uint(BigInteger.valueOf(value));
  }

  public AbiEncoder uint(BigInteger value) {
    out.writeBytes(uint256Word(value));
    return this;
  }

  public AbiEncoder address(Address address) {
    out.writeBytes(new byte[12]);
    out.writeBytes(address.bytes());
    return this;
  }

  public AbiEncoder bytes32(Bytes32 value) {
    out.writeBytes(value.bytes());
    return this;
  }

  /** Appends raw bytes as they are (for {@code abi.encodePacked}). */
  public AbiEncoder raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  public byte[] toBytes() {
    return out.toByteArray();
  }

  /** The 32-byte big-endian word of an unsigned 256-bit integer. */
  public static byte[] uint256Word(BigInteger value) {
    if (value.signum() < 0 || value.compareTo(MAX_UINT256) > 0) {
      throw new IllegalArgumentException("value out of uint256 range: " + value);
    }
    byte[] raw = value.toByteArray();
    byte[] word = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, word, 32 - copy, copy);
    return word;
  }
}
