package io.protolearn.training.lane;

import io.protolearn.training.tensor.HostTensor;
import java.util.Optional;

/**
 * What a lane tensor may hold (DESIGN §3, v2): finite float32 values no larger in magnitude than
 * {@link #MAX_ABS}. A NaN or infinite activation or gradient from a peer would otherwise reach the
 * optimizer, which refuses a non-finite gradient by throwing — the receiver would lose its round
 * (or its process) to one bad message. Checked at the miner's door and again before a step uses a
 * received tensor.
 */
public final class TensorBounds {
  /** The largest magnitude accepted; far above what a healthy activation or gradient reaches. */
  public static final float MAX_ABS = 1e6f;

  private TensorBounds() {}

  /** Why the tensor is out of bounds, or empty when every value is finite and within bounds. */
  public static Optional<String> problem(HostTensor t) {
    if (t.dtype() != HostTensor.DType.FLOAT32) {
      return Optional.empty(); // int tensors (tokens, labels) are bounded by their checks
    }
    float[] v = t.floats();
    for (int i = 0; i < v.length; i++) {
      // NaN fails every comparison, so !(|x| <= MAX_ABS) catches NaN and both infinities
      if (!(Math.abs(v[i]) <= MAX_ABS)) {
        return Optional.of(
            "value " + v[i] + " at index " + i + " is not finite or exceeds " + MAX_ABS);
      }
    }
    return Optional.empty();
  }
}
