package io.protolearn.training.lane;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.model.StageState;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import java.util.Optional;

/**
 * Where a stage's runner lets a miner depart from the honest step (the devnet's adversaries and the
 * tests that catch them); {@link #HONEST} departs nowhere.
 */
public interface StepStrategy {
  StepStrategy HONEST = new StepStrategy() {};

  /** The activations actually sent to the next stage (signed by this miner). */
  default HostTensor outgoingActivations(HostTensor honest) {
    return honest;
  }

  /**
   * A leaf to commit for this step instead of computing it, with the input gradient to send back
   * (ignored on stage 0); empty to compute the step. A fabricated step leaves the state as it was.
   */
  default Optional<Fabricated> fabricate(StepView step) {
    return Optional.empty();
  }

  /** What a step that was not computed commits and sends back. */
  record Fabricated(StepLeaf leaf, HostTensor inputGrad) {}

  /**
   * A step at the point where its inputs are known: its place, the state before it, the tensors
   * received (with their signed messages; null where no peer sent one) and the signed activations
   * sent on (null on the last stage).
   */
  record StepView(
      RoundContext ctx,
      int lane,
      int stage,
      int step,
      Address miner,
      StageState before,
      HostTensor input,
      HostTensor upstream,
      SignedTensor inputMessage,
      SignedTensor upstreamMessage,
      SignedTensor outputMessage) {

    /** The input's hash: as signed by the previous stage, or of the batch on stage 0. */
    public Bytes32 inputHash() {
      return inputMessage != null ? inputMessage.header().tensorHash() : TensorCodec.hash(input);
    }

    /** The upstream gradient's hash: as signed by the next stage, or of the labels. */
    public Bytes32 upstreamHash() {
      return upstreamMessage != null
          ? upstreamMessage.header().tensorHash()
          : TensorCodec.hash(upstream);
    }

    /** What the store keeps of the step's inputs. */
    public StageArtifacts.StepInputs inputs() {
      return new StageArtifacts.StepInputs(input, upstream, inputMessage, upstreamMessage);
    }

    /** The step's leaf (DESIGN.md §4) given what the step produced. */
    public StepLeaf leaf(
        Bytes32 outputHash, Bytes32 inputGradHash, Bytes32 paramGradHash, Bytes32 paramsAfter) {
      return new StepLeaf(
          ctx.runId(),
          ctx.round(),
          miner,
          stage,
          lane,
          step,
          before.paramsHash(),
          before.optStateHash(),
          inputHash(),
          upstreamHash(),
          outputHash,
          inputGradHash,
          paramGradHash,
          paramsAfter);
    }
  }
}
