package io.protolearn.training.model;

import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import java.util.List;

/**
 * What one step of one stage produced. {@code output} is the activations sent on, or on the last
 * stage the loss as a float32 scalar; {@code inputGrad} is null on stage 0.
 */
public record StepOutputs(
    HostTensor output,
    HostTensor inputGrad,
    List<HostTensor> paramGrads,
    StageState after,
    float loss) {

  public StepOutputs {
    paramGrads = List.copyOf(paramGrads);
  }

  public Bytes32 outputHash() {
    return TensorCodec.hash(output);
  }

  /** Hash of the gradient sent back; zero on stage 0, which sends none (DESIGN.md §4). */
  public Bytes32 inputGradHash() {
    return inputGrad == null ? Bytes32.ZERO : TensorCodec.hash(inputGrad);
  }

  public Bytes32 paramGradHash() {
    return TensorCodec.hashList(paramGrads);
  }
}
