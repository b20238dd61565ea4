package io.protolearn.protocol.crypto;

import java.util.Arrays;
import java.util.Locale;

/** A 20-byte Ethereum address. Compares as an unsigned number (the order of a sorted set). */
public record Address(byte[] bytes) implements Comparable<Address> {
  public static final Address ZERO = new Address(new byte[20]);

  public Address {
    if (bytes.length != 20) {
      throw new IllegalArgumentException("an address has 20 bytes, got " + bytes.length);
    }
    bytes = bytes.clone();
  }

  public static Address fromHex(String hex) {
    return new Address(Hex.decode(hex));
  }

  /** The address of an uncompressed secp256k1 public key (64 bytes, x || y). */
  public static Address fromPublicKey(byte[] publicKey64) {
    byte[] hash = Keccak.keccak256(publicKey64);
    return new Address(Arrays.copyOfRange(hash, 12, 32));
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Lowercase 0x-hex. */
  public String toHex() {
    return Hex.encode(bytes);
  }

  /** EIP-55 mixed-case checksum form. */
  public String toChecksumHex() {
    String lower = toHex().substring(2);
    String hash = Hex.encode(Keccak.keccak256(lower.getBytes())).substring(2);
    StringBuilder out = new StringBuilder("0x");
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      out.append(Character.digit(hash.charAt(i), 16) >= 8 ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Address other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(Address o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return toHex().toLowerCase(Locale.ROOT);
  }
}
