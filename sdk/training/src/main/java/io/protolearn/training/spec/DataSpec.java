package io.protolearn.training.spec;

import io.protolearn.protocol.crypto.Bytes32;

/**
 * The run's data (DESIGN.md §2): the corpus and its SHA-256 ({@code dataRoot}, 0x-hex), the
 * tokenizer, the sequence length, and the held-out tail of the corpus kept for evaluation, in basis
 * points of its bytes.
 */
public record DataSpec(
    String corpusId, String dataRoot, String tokenizer, int seqLength, int heldOutBps) {

  /** Bytes are tokens: vocabulary 256, no merges, no unknowns. */
  public static final String BYTE_TOKENIZER = "bytes-v1";

  public DataSpec {
    if (seqLength <= 0 || heldOutBps <= 0 || heldOutBps >= 10_000) {
      throw new IllegalArgumentException("seqLength > 0 and 0 < heldOutBps < 10000");
    }
    if (!BYTE_TOKENIZER.equals(tokenizer)) {
      throw new IllegalArgumentException("unknown tokenizer " + tokenizer);
    }
  }

  public Bytes32 hash() {
    return CanonicalJson.sha256(this);
  }
}
