package io.protolearn.training.lane;

import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.training.spec.TrainSpec;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The outer (DiLoCo) step of one stage (DESIGN.md §7): the mean of the accepted lanes' deltas,
 * summed in lane order in float32 and divided by their count, applied by SGD with momentum μ and
 * learning rate η: {@code buf = μ·buf + Δ; update = nesterov ? Δ + μ·buf : buf; p = p − η·update}.
 * Plain Java float arithmetic: every replica of the stage computes the same bytes, and the params'
 * hash is the next round's baseHash.
 */
public final class OuterStep {
  private final TrainSpec spec;

  public OuterStep(TrainSpec spec) {
    this.spec = spec;
  }

  /** A stage's aggregated state: the base params and the outer momentum buffer. */
  public record OuterState(List<HostTensor> params, List<HostTensor> momentum) {
    public OuterState {
      params = List.copyOf(params);
      momentum = List.copyOf(momentum);
    }

    public static OuterState initial(List<HostTensor> params) {
      List<HostTensor> zeros = new ArrayList<>();
      for (HostTensor p : params) {
        zeros.add(HostTensor.of(new float[p.size()], p.shape()));
      }
      return new OuterState(params, zeros);
    }

    /** The next round's baseHash. */
    public Bytes32 baseHash() {
      return TensorCodec.hashList(params);
    }

    public Bytes32 momentumHash() {
      return TensorCodec.hashList(momentum);
    }

    /** {@code u32 paramsLength ‖ u32 momentumLength ‖ params ‖ momentum} (TensorCodec lists). */
    public byte[] encode() {
      byte[] p = TensorCodec.encodeList(params);
      byte[] m = TensorCodec.encodeList(momentum);
      return ByteBuffer.allocate(8 + p.length + m.length)
          .putInt(p.length)
          .putInt(m.length)
          .put(p)
          .put(m)
          .array();
    }

    public static OuterState decode(byte[] bytes) {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      byte[] p = new byte[in.getInt()];
      byte[] m = new byte[in.getInt()];
      in.get(p).get(m);
      return new OuterState(TensorCodec.decodeList(p), TensorCodec.decodeList(m));
    }
  }

  /**
   * Applies the mean of {@code deltasByLane} (already ordered by lane); none accepted: no change.
   */
  public OuterState apply(OuterState base, List<List<HostTensor>> deltasByLane) {
    if (deltasByLane.isEmpty()) {
      return base;
    }
    float n = deltasByLane.size();
    float mu = (float) spec.outerMomentum();
    float lr = (float) spec.outerLr();
    List<HostTensor> params = new ArrayList<>();
    List<HostTensor> momentum = new ArrayList<>();
    for (int k = 0; k < base.params().size(); k++) {
      float[] p = base.params().get(k).floats().clone();
      float[] buf = base.momentum().get(k).floats().clone();
      float[] mean = new float[p.length];
      for (List<HostTensor> delta : deltasByLane) {
        float[] d = delta.get(k).floats();
        for (int j = 0; j < mean.length; j++) {
          mean[j] += d[j];
        }
      }
      for (int j = 0; j < p.length; j++) {
        float g = mean[j] / n;
        buf[j] = mu * buf[j] + g;
        float update = spec.nesterov() ? g + mu * buf[j] : buf[j];
        p[j] = p[j] - lr * update;
      }
      long[] shape = base.params().get(k).shape();
      params.add(HostTensor.of(p, shape));
      momentum.add(HostTensor.of(buf, shape));
    }
    return new OuterState(params, momentum);
  }
}
