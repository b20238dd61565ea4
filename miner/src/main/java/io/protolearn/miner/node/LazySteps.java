package io.protolearn.miner.node;

import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.lane.SignedTensor;
import io.protolearn.training.model.StageState;
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

  static StepLeaf fabricate(
      RoundPlan plan,
      int step,
      StageState state,
      HostTensor input,
      HostTensor upstream,
      SignedTensor inputMessage,
      SignedTensor upstreamMessage,
      SignedTensor outputMessage) {
    int s = plan.stage();
    return new StepLeaf(
        plan.runId(),
        plan.round(),
        plan.self(),
        s,
        plan.lane(),
        step,
        state.paramsHash(),
        state.optStateHash(),
        inputMessage != null ? inputMessage.header().tensorHash() : TensorCodec.hash(input),
        upstreamMessage != null
            ? upstreamMessage.header().tensorHash()
            : TensorCodec.hash(upstream),
        outputMessage != null ? outputMessage.header().tensorHash() : madeUp("loss", plan, step),
        s == 0 ? Bytes32.ZERO : TensorCodec.hash(zerosLike(input)),
        madeUp("param-grad", plan, step),
        state.paramsHash());
  }

  static HostTensor zerosLike(HostTensor t) {
    return HostTensor.of(new float[(int) HostTensor.numel(t.shape())], t.shape());
  }

  private static Bytes32 madeUp(String what, RoundPlan plan, int step) {
    return new Bytes32(
        Keccak.keccak256(
            ("lazy " + what + " " + plan.round() + " " + step).getBytes(StandardCharsets.UTF_8)));
  }
}
