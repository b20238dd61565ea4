package io.protolearn.training.model;

import io.protolearn.training.spec.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The ordered parameter list of one stage. The order is part of the protocol: it is the order of
 * the params hash, of the optimizer state and of the deltas.
 */
public record ParamLayout(int stage, boolean first, boolean last, List<Param> params) {

  /** How a parameter starts: normal(0, std), all ones, or all zeros. */
  public enum Init {
    NORMAL,
    ONES,
    ZEROS
  }

  public record Param(String name, long[] shape, Init init, double std, boolean decay) {
    public int size() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return Math.toIntExact(n);
    }
  }

  public ParamLayout {
    params = List.copyOf(params);
  }

  public static ParamLayout of(ModelSpec spec, int stage) {
    if (stage < 0 || stage >= spec.stages()) {
      throw new IllegalArgumentException("no stage " + stage);
    }
    long d = spec.dModel();
    long f = spec.mlpHidden();
    long v = spec.vocabSize();
    double std = 0.02;
    double residualStd = 0.02 / Math.sqrt(2.0 * spec.layers());
    List<Param> ps = new ArrayList<>();
    boolean first = stage == 0;
    boolean last = stage == spec.stages() - 1;
    if (first) {
      ps.add(new Param("tok_emb", new long[] {v, d}, Init.NORMAL, std, false));
      ps.add(new Param("pos_emb", new long[] {spec.contextLength(), d}, Init.NORMAL, std, false));
    }
    int from = spec.firstLayer(stage);
    for (int l = from; l < from + spec.stageLayers().get(stage); l++) {
      String p = "h" + l + ".";
      ps.add(new Param(p + "ln1.g", new long[] {d}, Init.ONES, 0, false));
      ps.add(new Param(p + "ln1.b", new long[] {d}, Init.ZEROS, 0, false));
      ps.add(new Param(p + "attn.wqkv", new long[] {3 * d, d}, Init.NORMAL, std, true));
      ps.add(new Param(p + "attn.bqkv", new long[] {3 * d}, Init.ZEROS, 0, false));
      ps.add(new Param(p + "attn.wo", new long[] {d, d}, Init.NORMAL, residualStd, true));
      ps.add(new Param(p + "attn.bo", new long[] {d}, Init.ZEROS, 0, false));
      ps.add(new Param(p + "ln2.g", new long[] {d}, Init.ONES, 0, false));
      ps.add(new Param(p + "ln2.b", new long[] {d}, Init.ZEROS, 0, false));
      ps.add(new Param(p + "mlp.w1", new long[] {f, d}, Init.NORMAL, std, true));
      ps.add(new Param(p + "mlp.b1", new long[] {f}, Init.ZEROS, 0, false));
      ps.add(new Param(p + "mlp.w2", new long[] {d, f}, Init.NORMAL, residualStd, true));
      ps.add(new Param(p + "mlp.b2", new long[] {d}, Init.ZEROS, 0, false));
    }
    if (last) {
      ps.add(new Param("lnf.g", new long[] {d}, Init.ONES, 0, false));
      ps.add(new Param("lnf.b", new long[] {d}, Init.ZEROS, 0, false));
      ps.add(new Param("head", new long[] {v, d}, Init.NORMAL, std, true));
    }
    return new ParamLayout(stage, first, last, ps);
  }

  public int count() {
    return params.size();
  }

  public long totalSize() {
    return params.stream().mapToLong(Param::size).sum();
  }

  public static long totalSize(ModelSpec spec) {
    long n = 0;
    for (int s = 0; s < spec.stages(); s++) {
      n += of(spec, s).totalSize();
    }
    return n;
  }
}
