package io.protolearn.node.store;

import java.nio.ByteBuffer;

/**
 * Where a step's records live: (run, round, stage, lane, step). Encoded big-endian so that the byte
 * order of keys is the numeric order (a round's records are one contiguous key range).
 */
public record StepKey(long runId, long round, int stage, int lane, int step) {
  static final int SIZE = 8 + 8 + 4 + 4 + 4;

  public StepKey {
    if (runId < 0 || round < 0 || stage < 0 || lane < 0 || step < 0) {
      throw new IllegalArgumentException("key numbers must be non-negative");
    }
  }

  byte[] encode() {
    return ByteBuffer.allocate(SIZE)
        .putLong(runId)
        .putLong(round)
        .putInt(stage)
        .putInt(lane)
        .putInt(step)
        .array();
  }

  static StepKey decode(byte[] key) {
    ByteBuffer b = ByteBuffer.wrap(key);
    return new StepKey(b.getLong(), b.getLong(), b.getInt(), b.getInt(), b.getInt());
  }

  /** First key of a round of a run. */
  static byte[] roundStart(long runId, long round) {
    return ByteBuffer.allocate(SIZE).putLong(runId).putLong(round).array();
  }
}
