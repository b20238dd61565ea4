package io.protolearn.protocol.crypto;

import org.bouncycastle.jcajce.provider.digest.Keccak.Digest256;

/** Ethereum's keccak256 (the original Keccak padding, not NIST SHA3-256). */
public final class Keccak {
  private Keccak() {}

  /** keccak256 of the concatenation of the given byte arrays. */
  public static byte[] keccak256(byte[]... parts) {
    Digest256 digest = new Digest256();
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }
}
