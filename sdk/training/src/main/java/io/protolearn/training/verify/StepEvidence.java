package io.protolearn.training.verify;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.model.StageState;
import io.protolearn.training.tensor.HostTensor;
import java.util.List;

/**
 * What a validator gathers to check step {@code steps.last().leaf().step()} of one miner (DESIGN.md
 * §5): the commitment's coordinates, the stored state at the nearest checkpoint, and for every step
 * from the checkpoint to the sampled one its leaf with its Merkle proof, its inputs and upstream
 * gradient and the peers' signatures over them. {@code served} (tolerance mode only) holds the
 * tensors the miner committed for each step.
 */
public record StepEvidence(
    Commitment commitment, int checkpointStep, StageState checkpoint, List<StepRecord> steps) {

  public StepEvidence {
    steps = List.copyOf(steps);
  }

  /**
   * The on-chain commitment and the lane around the miner: {@code previousMiner} is null on stage 0
   * and {@code nextMiner} on the last stage; {@code laneStage0Miner} fixes the lane's data.
   */
  public record Commitment(
      long runId,
      long round,
      Address miner,
      int stage,
      int lane,
      Bytes32 root,
      Bytes32 baseHash,
      Address previousMiner,
      Address nextMiner,
      Address laneStage0Miner,
      TensorMessage.Domain domain) {}

  /** One step's artifacts. Signatures are null where no peer sends the tensor. */
  public record StepRecord(
      StepLeaf leaf,
      List<Bytes32> proof,
      HostTensor input,
      HostTensor upstream,
      byte[] inputSignature,
      byte[] upstreamSignature,
      Served served) {
    public StepRecord {
      proof = List.copyOf(proof);
    }

    public StepRecord withLeaf(StepLeaf newLeaf, List<Bytes32> newProof) {
      return new StepRecord(
          newLeaf, newProof, input, upstream, inputSignature, upstreamSignature, served);
    }

    public StepRecord withInput(HostTensor newInput) {
      return new StepRecord(
          leaf, proof, newInput, upstream, inputSignature, upstreamSignature, served);
    }

    public StepRecord withUpstream(HostTensor newUpstream) {
      return new StepRecord(
          leaf, proof, input, newUpstream, inputSignature, upstreamSignature, served);
    }
  }

  /** The tensors a miner committed for a step, served for tolerance-mode comparison. */
  public record Served(
      HostTensor output,
      HostTensor inputGrad,
      List<HostTensor> paramGrads,
      List<HostTensor> paramsAfter) {}

  public int targetStep() {
    return steps.get(steps.size() - 1).leaf().step();
  }

  public StepEvidence withCheckpoint(StageState newCheckpoint) {
    return new StepEvidence(commitment, checkpointStep, newCheckpoint, steps);
  }

  public StepEvidence withStep(int index, StepRecord record) {
    List<StepRecord> copy = new java.util.ArrayList<>(steps);
    copy.set(index, record);
    return new StepEvidence(commitment, checkpointStep, checkpoint, copy);
  }
}
