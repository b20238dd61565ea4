package io.protolearn.training.verify;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.lane.SignedTensor;
import io.protolearn.training.lane.StageArtifacts;
import io.protolearn.training.lane.StageRoundResult;
import io.protolearn.training.model.StageState;
import io.protolearn.training.model.StageTrainer;
import io.protolearn.training.model.StepOutputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Assembles the evidence of a sampled step from a lane's round results (what a miner serves). */
public final class EvidenceBuilder {
  private EvidenceBuilder() {}

  /**
   * @param lane the lane's results, one per stage
   * @param servedBy for tolerance mode, the miner's trainer that regenerates its committed tensors
   *     from its own artifacts; null in exact mode
   */
  public static StepEvidence forStep(
      List<StageRoundResult> lane,
      int stage,
      int step,
      long runId,
      long round,
      TensorMessage.Domain domain,
      StageTrainer servedBy) {
    StageRoundResult r = lane.get(stage);
    Address previous = stage == 0 ? null : lane.get(stage - 1).miner();
    Address next = stage == lane.size() - 1 ? null : lane.get(stage + 1).miner();
    StepEvidence.Commitment commitment =
        new StepEvidence.Commitment(
            runId,
            round,
            r.miner(),
            stage,
            r.lane(),
            r.root(),
            r.baseHash(),
            previous,
            next,
            lane.get(0).miner(),
            domain);
    Map.Entry<Integer, StageState> cp = r.artifacts().checkpointAtOrBefore(step);
    List<StepEvidence.StepRecord> records = new ArrayList<>();
    StageState state = cp.getValue();
    for (int k = cp.getKey(); k <= step; k++) {
      StepLeaf leaf = r.tree().leaf(k);
      StageArtifacts.StepInputs in = r.artifacts().inputs(k);
      StepEvidence.Served served = null;
      if (servedBy != null) {
        StepOutputs o = servedBy.step(state, in.input(), in.upstream());
        served =
            new StepEvidence.Served(o.output(), o.inputGrad(), o.paramGrads(), o.after().params());
        state = o.after();
      }
      records.add(
          new StepEvidence.StepRecord(
              leaf,
              r.tree().proof(leaf),
              in.input(),
              in.upstream(),
              signature(in.inputMessage()),
              signature(in.upstreamMessage()),
              served));
    }
    return new StepEvidence(commitment, cp.getKey(), cp.getValue(), records);
  }

  private static byte[] signature(SignedTensor m) {
    return m == null ? null : m.signature();
  }
}
