package io.protolearn.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import io.protolearn.training.spec.ModelSpec;
import java.util.Arrays;

/**
 * The forward math of one stage of a pre-norm decoder-only transformer, written with plain NDArray
 * operators over an explicit parameter list (no Blocks, so no hidden parameters or initializers).
 * Stage 0 embeds tokens; stage S-1 applies the final norm and the head.
 */
public final class StageModel {
  private static final float LN_EPS = 1e-5f;
  private static final float MASKED = -1e9f;

  private final ModelSpec spec;
  private final ParamLayout layout;

  public StageModel(ModelSpec spec, int stage) {
    this.spec = spec;
    this.layout = ParamLayout.of(spec, stage);
  }

  public ParamLayout layout() {
    return layout;
  }

  /**
   * Forward pass: {@code input} is int32 tokens [B,T] on stage 0, activations [B,T,D] otherwise;
   * returns activations [B,T,D], or logits [B,T,V] on the last stage.
   */
  public NDArray forward(NDManager manager, NDList params, NDArray input) {
    int k = 0;
    NDArray x;
    long t = input.getShape().get(1);
    if (layout.first()) {
      NDArray tokens = input.toType(DataType.INT64, false);
      NDArray tok = Embedding.embedding(tokens, params.get(k++), SparseFormat.DENSE).head();
      NDArray pos = params.get(k++).get(new NDIndex("0:{}", t));
      x = tok.add(pos);
    } else {
      x = input;
    }
    NDArray mask = causalMask(manager, (int) t);
    for (int l = 0; l < spec.stageLayers().get(layout.stage()); l++) {
      x = block(x, params, k, mask);
      k += 12;
    }
    if (layout.last()) {
      NDArray h = layerNorm(x, params.get(k), params.get(k + 1));
      x = Linear.linear(h, params.get(k + 2)).head();
    }
    return x;
  }

  /** Mean next-token cross-entropy of logits [B,T,V] against int32 labels [B,T]. */
  public NDArray loss(NDArray logits, NDArray labels) {
    NDArray logp = logits.logSoftmax(-1);
    NDArray onehot = labels.toType(DataType.INT64, false).oneHot(spec.vocabSize());
    long count = labels.getShape().size();
    return logp.mul(onehot).sum().neg().div(scalar(logits.getManager(), (float) count));
  }

  /**
   * A float32 scalar in memory PyTorch owns. DJL's {@code NDArray.mul(Number)} and {@code
   * div(Number)} wrap the number in a Java direct buffer ({@code from_blob}) and close it as soon
   * as the op returns; autograd keeps the tensor for the backward pass, which then reads memory the
   * JVM may have freed and reused — a gradient that differed between two runs of the same step
   * about once in a few hundred steps under GC pressure. Constants in the graph are made here
   * instead and live until the step's manager closes.
   */
  static NDArray scalar(NDManager manager, float value) {
    return manager.full(new Shape(), value, DataType.FLOAT32);
  }

  private NDArray block(NDArray x, NDList p, int k, NDArray mask) {
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    long d = spec.dModel();
    long h = spec.heads();
    long hd = d / h;
    NDArray a = layerNorm(x, p.get(k), p.get(k + 1));
    NDArray qkv = Linear.linear(a, p.get(k + 2), p.get(k + 3)).head();
    NDList parts = qkv.split(3, 2);
    NDArray q = heads(parts.get(0), b, t, h, hd);
    NDArray kk = heads(parts.get(1), b, t, h, hd);
    NDArray v = heads(parts.get(2), b, t, h, hd);
    NDArray scores =
        q.matMul(kk.transpose(0, 1, 3, 2))
            .mul(scalar(q.getManager(), (float) (1.0 / Math.sqrt(hd))));
    NDArray att = scores.add(mask).softmax(-1);
    NDArray y = att.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, d);
    x = x.add(Linear.linear(y, p.get(k + 4), p.get(k + 5)).head());
    NDArray m = layerNorm(x, p.get(k + 6), p.get(k + 7));
    NDArray hidden = Activation.gelu(Linear.linear(m, p.get(k + 8), p.get(k + 9)).head());
    return x.add(Linear.linear(hidden, p.get(k + 10), p.get(k + 11)).head());
  }

  private static NDArray heads(NDArray x, long b, long t, long h, long hd) {
    return x.reshape(b, t, h, hd).transpose(0, 2, 1, 3);
  }

  private NDArray layerNorm(NDArray x, NDArray gain, NDArray bias) {
    return LayerNorm.layerNorm(x, new Shape(spec.dModel()), gain, bias, LN_EPS).head();
  }

  private static NDArray causalMask(NDManager manager, int t) {
    float[] mask = new float[t * t];
    for (int i = 0; i < t; i++) {
      Arrays.fill(mask, i * t + i + 1, (i + 1) * t, MASKED);
    }
    try (NDArray wrapped = manager.create(mask, new Shape(t, t))) {
      return wrapped.duplicate(); // PyTorch-owned memory, as for every input (see scalar)
    }
  }
}
