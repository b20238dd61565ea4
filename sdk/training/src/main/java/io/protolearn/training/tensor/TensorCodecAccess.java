package io.protolearn.training.tensor;

import java.nio.ByteBuffer;
import java.util.List;

/** Streaming reads of the canonical encoding, for composite formats built on it. */
public final class TensorCodecAccess {
  private TensorCodecAccess() {}

  public static List<HostTensor> readList(ByteBuffer in) {
    try {
      return TensorCodec.readList(in);
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated tensor list", e);
    }
  }

  public static HostTensor read(ByteBuffer in) {
    return TensorCodec.read(in);
  }
}
