package io.protolearn.training.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.protolearn.training.spec.ModelSpec;
import io.protolearn.training.spec.TrainSpec;
import io.protolearn.training.tensor.HostTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The deterministic step of one stage, shared by miners and validators: (state, inputs, upstream
 * gradient) → (outputs, input gradient, parameter gradient, state after, loss). On the last stage
 * the "upstream gradient" is the int32 labels [B,T] and the output is the loss.
 *
 * <p>Not thread-safe; DJL allows one gradient collector per process at a time, so steps run one at
 * a time.
 */
public final class StageTrainer implements AutoCloseable {
  private final ModelSpec modelSpec;
  private final StageModel model;
  private final AdamW optimizer;
  private final NDManager manager;

  public StageTrainer(ModelSpec modelSpec, TrainSpec trainSpec, int stage) {
    TrainingEngine.start(trainSpec.profile());
    this.modelSpec = modelSpec;
    this.model = new StageModel(modelSpec, stage);
    this.optimizer = new AdamW(trainSpec, model.layout());
    this.manager = NDManager.newBaseManager(device(trainSpec));
  }

  private static ai.djl.Device device(TrainSpec spec) {
    return spec.profile().gpu() ? ai.djl.Device.gpu() : ai.djl.Device.cpu();
  }

  public ParamLayout layout() {
    return model.layout();
  }

  public ModelSpec modelSpec() {
    return modelSpec;
  }

  /** Forward only, no gradient: the activations a pipeline sends on before the backward pass. */
  public HostTensor forward(StageState state, HostTensor input) {
    try (NDManager m = manager.newSubManager()) {
      NDList params = toNd(m, state.params(), false);
      NDArray out = model.forward(m, params, toNd(m, input));
      return toHost(out);
    }
  }

  /** The full step. */
  public StepOutputs step(StageState before, HostTensor input, HostTensor upstream) {
    ParamLayout layout = model.layout();
    HostTensor output;
    HostTensor inputGrad = null;
    List<HostTensor> grads = new ArrayList<>(layout.count());
    float loss = Float.NaN;
    try (NDManager m = manager.newSubManager();
        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDList params = toNd(m, before.params(), true);
      NDArray x = toNd(m, input);
      if (!layout.first()) {
        x.setRequiresGradient(true);
      }
      NDArray out = model.forward(m, params, x);
      NDArray target;
      if (layout.last()) {
        target = model.loss(out, toNd(m, upstream));
        output = toHost(target);
        loss = output.floats()[0];
      } else {
        target = out.mul(toNd(m, upstream)).sum();
        output = toHost(out);
      }
      gc.backward(target);
      for (NDArray p : params) {
        grads.add(toHost(p.getGradient()));
      }
      if (!layout.first()) {
        inputGrad = toHost(x.getGradient());
      }
    }
    StageState after = optimizer.apply(before, grads);
    return new StepOutputs(output, inputGrad, grads, after, loss);
  }

  /** Mean loss of logits from a forward pass of the last stage (evaluation; no gradient). */
  public float evalLoss(StageState state, HostTensor input, HostTensor labels) {
    if (!model.layout().last()) {
      throw new IllegalStateException("only the last stage has a loss");
    }
    try (NDManager m = manager.newSubManager()) {
      NDArray logits = model.forward(m, toNd(m, state.params(), false), toNd(m, input));
      return model.loss(logits, toNd(m, labels)).getFloat();
    }
  }

  private static NDList toNd(NDManager m, List<HostTensor> tensors, boolean requiresGrad) {
    NDList list = new NDList(tensors.size());
    for (HostTensor t : tensors) {
      NDArray a = toNd(m, t);
      if (requiresGrad) {
        a.setRequiresGradient(true);
      }
      list.add(a);
    }
    return list;
  }

  /**
   * Copies a host tensor into memory allocated by PyTorch. DJL wraps the Java direct buffer it
   * copies into ({@code from_blob}), whose address, and so alignment, depends on the process's
   * allocation history; MKL's sgemm takes alignment-dependent code paths, so the same step gave
   * different bits in two JVMs with different histories. PyTorch's CPU allocator aligns to 64
   * bytes, which makes the inputs of every kernel aligned alike.
   */
  static NDArray toNd(NDManager m, HostTensor t) {
    Shape shape = new Shape(t.shape());
    try (NDArray wrapped =
        t.dtype() == HostTensor.DType.FLOAT32
            ? m.create(t.floats(), shape)
            : m.create(t.ints(), shape)) {
      return wrapped.duplicate();
    }
  }

  static HostTensor toHost(NDArray a) {
    return HostTensor.of(a.toFloatArray(), a.getShape().getShape());
  }

  @Override
  public void close() {
    manager.close();
  }
}
