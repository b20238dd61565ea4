package io.protolearn.protocol.leaf;

import io.protolearn.protocol.crypto.Bytes32;

/**
 * What a miner commits for a round (DESIGN.md §4): the Merkle root of its step leaves, their count,
 * the hash of its pseudo-gradient and the hash of the base checkpoint it started from.
 */
public record Commitment(Bytes32 root, long stepCount, Bytes32 deltaHash, Bytes32 baseHash) {
  public Commitment {
    if (stepCount <= 0) {
      throw new IllegalArgumentException("a commitment covers at least one step");
    }
  }
}
