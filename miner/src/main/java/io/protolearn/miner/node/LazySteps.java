package io.protolearn.miner.node;

import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.lane.StepStrategy;
import io.protolearn.training.lane.StepStrategy.StepView;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import java.nio.charset.StandardCharsets;

/**
 * The leaf a lazy miner ({@link Adversary.Lazy}) commits for a step it did not compute: the real
 * inputs and messages, no update (params and optimizer state stay as they were, so the chain of
 * leaves stays unbroken) and a made-up parameter gradient. For the last stage the loss is made up
 * too; a stage above 0 sends a zero input gradient back (and records its hash, so it does not
 * equivocate). Only a recompute of the step tells it from a real one.
 */
final class LazySteps {
  private LazySteps() {}

  static StepStrategy.Fabricated fabricate(StepView view) {
    HostTensor inputGrad = zerosLike(view.input());
    StepLeaf leaf =
        view.leaf(
            view.outputMessage() != null
                ? view.outputMessage().header().tensorHash()
                : madeUp("loss", view),
            view.stage() == 0 ? Bytes32.ZERO : TensorCodec.hash(inputGrad),
            madeUp("param-grad", view),
            view.before().paramsHash());
    return new StepStrategy.Fabricated(leaf, inputGrad);
  }

  static HostTensor zerosLike(HostTensor t) {
    return HostTensor.of(new float[(int) HostTensor.numel(t.shape())], t.shape());
  }

  private static Bytes32 madeUp(String what, StepView view) {
    String text = "lazy " + what + " " + view.ctx().round() + " " + view.step();
    return new Bytes32(Keccak.keccak256(text.getBytes(StandardCharsets.UTF_8)));
  }
}
