package io.protolearn.training.model;

import io.protolearn.training.spec.TrainSpec;
import io.protolearn.training.tensor.HostTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW in plain Java float arithmetic over the stage's ordered parameter list. Java float math is
 * strict (IEEE 754, no fused or reordered operations), so the update is bit-identical on every JVM
 * and every thread count, and its state is explicit.
 *
 * <p>Order of operations, per element: global-norm clip of the gradient (norm summed in double in
 * layout order), {@code m = b1*m + (1-b1)*g}, {@code v = b2*v + (1-b2)*g*g}, {@code p = p -
 * lr*wd*p} (matrices only), {@code p = p - lr * (m/bc1) / (sqrt(v/bc2) + eps)}. Bias corrections
 * use {@code StrictMath.pow} (fdlibm: the same bits on every platform); sqrt is correctly rounded.
 */
public final class AdamW {
  private final TrainSpec spec;
  private final ParamLayout layout;

  public AdamW(TrainSpec spec, ParamLayout layout) {
    this.spec = spec;
    this.layout = layout;
  }

  public StageState apply(StageState before, List<HostTensor> grads) {
    int step = before.optStep() + 1;
    float clip = clipScale(grads);
    float b1 = (float) spec.beta1();
    float b2 = (float) spec.beta2();
    float lr = (float) spec.innerLr();
    float eps = (float) spec.eps();
    float bc1 = (float) (1.0 - StrictMath.pow(spec.beta1(), step));
    float bc2 = (float) (1.0 - StrictMath.pow(spec.beta2(), step));
    int n = before.params().size();
    List<HostTensor> params = new ArrayList<>(n);
    List<HostTensor> ms = new ArrayList<>(n);
    List<HostTensor> vs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] p = before.params().get(i).floats().clone();
      float[] m = before.m().get(i).floats().clone();
      float[] v = before.v().get(i).floats().clone();
      float[] g = grads.get(i).floats();
      float decay = layout.params().get(i).decay() ? lr * (float) spec.weightDecay() : 0f;
      for (int j = 0; j < p.length; j++) {
        float gj = g[j] * clip;
        m[j] = b1 * m[j] + (1f - b1) * gj;
        v[j] = b2 * v[j] + (1f - b2) * gj * gj;
        p[j] = p[j] - decay * p[j];
        p[j] = p[j] - lr * (m[j] / bc1) / ((float) Math.sqrt(v[j] / bc2) + eps);
      }
      long[] shape = before.params().get(i).shape();
      params.add(HostTensor.of(p, shape));
      ms.add(HostTensor.of(m, shape));
      vs.add(HostTensor.of(v, shape));
    }
    return new StageState(step, params, ms, vs);
  }

  /** A step produced a NaN or infinite gradient: it must not be committed. */
  public static final class NonFiniteGradientException extends RuntimeException {
    public NonFiniteGradientException() {
      super("non-finite parameter gradient");
    }
  }

  private float clipScale(List<HostTensor> grads) {
    double sum = 0;
    for (HostTensor g : grads) {
      for (float x : g.floats()) {
        sum += (double) x * x;
      }
    }
    if (!Double.isFinite(sum)) {
      throw new NonFiniteGradientException();
    }
    if (spec.gradClip() <= 0) {
      return 1f;
    }
    double norm = StrictMath.sqrt(sum);
    return norm > spec.gradClip() ? (float) (spec.gradClip() / (norm + 1e-6)) : 1f;
  }
}
