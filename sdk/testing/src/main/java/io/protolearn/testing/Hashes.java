package io.protolearn.testing;

import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import java.nio.charset.StandardCharsets;

/** Distinct, readable 32-byte values for tests: the keccak-256 of a label. */
public final class Hashes {
  private Hashes() {}

  /** keccak256 of the UTF-8 bytes of {@code label}. */
  public static Bytes32 h(String label) {
    return new Bytes32(Keccak.keccak256(label.getBytes(StandardCharsets.UTF_8)));
  }
}
