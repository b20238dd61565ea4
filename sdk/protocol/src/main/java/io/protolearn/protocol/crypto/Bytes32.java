package io.protolearn.protocol.crypto;

import java.util.Arrays;

/** An immutable 32-byte value (a hash, a root, a seed). */
public record Bytes32(byte[] bytes) implements Comparable<Bytes32> {
  public static final Bytes32 ZERO = new Bytes32(new byte[32]);

  public Bytes32 {
    if (bytes.length != 32) {
      throw new IllegalArgumentException("Bytes32 needs 32 bytes, got " + bytes.length);
    }
    bytes = bytes.clone();
  }

  public static Bytes32 fromHex(String hex) {
    return new Bytes32(Hex.decode32(hex));
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public String toHex() {
    return Hex.encode(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes32 other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Unsigned lexicographic order, the order keccak sorted-pair trees use. */
  @Override
  public int compareTo(Bytes32 o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
