package io.protolearn.training.model;

import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import io.protolearn.training.tensor.TensorCodecAccess;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Everything a stage's next step depends on besides its inputs: the parameters and the AdamW state
 * (step count, first and second moments), in layout order. Immutable by convention: a step returns
 * a new state and never writes into an old one.
 */
public record StageState(
    int optStep, List<HostTensor> params, List<HostTensor> m, List<HostTensor> v) {

  public StageState {
    params = List.copyOf(params);
    m = List.copyOf(m);
    v = List.copyOf(v);
    if (optStep < 0 || m.size() != params.size() || v.size() != params.size()) {
      throw new IllegalArgumentException("optimizer state does not match the parameters");
    }
  }

  /** Parameters with a fresh optimizer (zero moments, step 0): the state at a round's start. */
  public static StageState fresh(List<HostTensor> params) {
    List<HostTensor> zeros = new ArrayList<>(params.size());
    for (HostTensor p : params) {
      zeros.add(HostTensor.of(new float[p.size()], p.shape()));
    }
    return new StageState(0, params, zeros, zeros);
  }

  /**
   * The initial parameters of a stage: a pure function of the layout and the run's seed. Each
   * parameter draws from its own SplittableRandom seeded by (seed, stage, index); normals by
   * Box-Muller in double, rounded to float.
   */
  public static List<HostTensor> initialParams(ParamLayout layout, long seed) {
    List<HostTensor> params = new ArrayList<>(layout.count());
    for (int i = 0; i < layout.count(); i++) {
      ParamLayout.Param p = layout.params().get(i);
      float[] values = new float[p.size()];
      switch (p.init()) {
        case ONES -> java.util.Arrays.fill(values, 1.0f);
        case ZEROS -> {}
        case NORMAL -> {
          SplittableRandom rng =
              new SplittableRandom(seed * 0x9E3779B97F4A7C15L + layout.stage() * 1_000_003L + i);
          for (int k = 0; k < values.length; k += 2) {
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
            values[k] = (float) (p.std() * r * StrictMath.cos(2 * Math.PI * u2));
            if (k + 1 < values.length) {
              values[k + 1] = (float) (p.std() * r * StrictMath.sin(2 * Math.PI * u2));
            }
          }
        }
      }
      params.add(HostTensor.of(values, p.shape()));
    }
    return params;
  }

  public Bytes32 paramsHash() {
    return TensorCodec.hashList(params);
  }

  /** Hash of the optimizer state: the list (step as an int32 scalar, m..., v...). */
  public Bytes32 optStateHash() {
    return TensorCodec.hashList(optStateTensors());
  }

  private List<HostTensor> optStateTensors() {
    List<HostTensor> all = new ArrayList<>(1 + 2 * m.size());
    all.add(HostTensor.ofInts(new int[] {optStep}));
    all.addAll(m);
    all.addAll(v);
    return all;
  }

  /** Canonical bytes: params list then optimizer list. */
  public byte[] encode() {
    byte[] p = TensorCodec.encodeList(params);
    byte[] o = TensorCodec.encodeList(optStateTensors());
    return ByteBuffer.allocate(p.length + o.length).put(p).put(o).array();
  }

  public static StageState decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    List<HostTensor> params = TensorCodecAccess.readList(in);
    List<HostTensor> opt = TensorCodecAccess.readList(in);
    if (in.hasRemaining() || opt.size() != 1 + 2 * params.size()) {
      throw new IllegalArgumentException("malformed stage state");
    }
    HostTensor step = opt.get(0);
    if (step.dtype() != HostTensor.DType.INT32 || step.size() != 1) {
      throw new IllegalArgumentException("malformed optimizer step");
    }
    int n = params.size();
    return new StageState(
        step.ints()[0], params, opt.subList(1, 1 + n), opt.subList(1 + n, 1 + 2 * n));
  }

  /** True when the tensors have the layout's shapes and dtypes. */
  public boolean fits(ParamLayout layout) {
    if (params.size() != layout.count()) {
      return false;
    }
    for (int i = 0; i < params.size(); i++) {
      long[] shape = layout.params().get(i).shape();
      for (HostTensor t : List.of(params.get(i), m.get(i), v.get(i))) {
        if (t.dtype() != HostTensor.DType.FLOAT32 || !java.util.Arrays.equals(t.shape(), shape)) {
          return false;
        }
      }
    }
    return true;
  }
}
