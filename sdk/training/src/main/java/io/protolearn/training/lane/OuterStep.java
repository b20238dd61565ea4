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
 *
 * <p>(v2) Each delta is first clipped to at most {@link #CLIP_FACTOR} × the <em>lower median</em>
 * of the set's L2 norms (DESIGN §7): a miner that trains honestly but commits a scaled update (a
 * poisoner) moves the model no further than an honest lane could, unless it holds most of the
 * accepted lanes. Norms are summed in double over the tensors and elements in order, the scale is
 * rounded to float once and multiplied in float, so every node computes the same bytes.
 */
public final class OuterStep {
  /**
   * How far above the set's lower-median norm a delta may reach before it is scaled down; a
   * protocol constant until the run's TrainSpec carries one.
   */
  public static final double CLIP_FACTOR = 4.0;

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
    deltasByLane = clipped(deltasByLane);
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

  /** The deltas, each scaled down to at most {@link #CLIP_FACTOR} × the lower-median norm. */
  static List<List<HostTensor>> clipped(List<List<HostTensor>> deltas) {
    double[] norms = new double[deltas.size()];
    for (int i = 0; i < norms.length; i++) {
      norms[i] = norm(deltas.get(i));
    }
    double[] sorted = norms.clone();
    java.util.Arrays.sort(sorted);
    double limit = CLIP_FACTOR * sorted[(sorted.length - 1) / 2];
    List<List<HostTensor>> out = new ArrayList<>();
    for (int i = 0; i < norms.length; i++) {
      if (norms[i] <= limit) {
        out.add(deltas.get(i));
        continue;
      }
      float scale = (float) (limit / norms[i]);
      List<HostTensor> scaled = new ArrayList<>();
      for (HostTensor t : deltas.get(i)) {
        float[] v = t.floats().clone();
        for (int j = 0; j < v.length; j++) {
          v[j] = v[j] * scale;
        }
        scaled.add(HostTensor.of(v, t.shape()));
      }
      out.add(scaled);
    }
    return out;
  }

  /** The L2 norm of a delta: squares summed in double, tensor by tensor, element by element. */
  static double norm(List<HostTensor> delta) {
    double sum = 0;
    for (HostTensor t : delta) {
      for (float x : t.floats()) {
        sum += (double) x * x;
      }
    }
    return Math.sqrt(sum);
  }
}
