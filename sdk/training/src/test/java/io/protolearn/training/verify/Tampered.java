package io.protolearn.training.verify;

import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import java.util.ArrayList;
import java.util.List;

/** A dishonest miner's leaves and evidence, for tests and benchmarks. */
public final class Tampered {
  private Tampered() {}

  /** A leaf with the hash at ABI word {@code word} (6..13) replaced. */
  public static StepLeaf withHashes(StepLeaf l, int word, Bytes32 value) {
    Bytes32[] h = {
      l.paramsBeforeHash(), l.optStateBeforeHash(), l.inputHash(), l.upstreamGradHash(),
      l.outputHash(), l.inputGradHash(), l.paramGradHash(), l.paramsAfterHash()
    };
    h[word - 6] = value;
    return new StepLeaf(
        l.runId(), l.round(), l.miner(), l.stage(), l.lane(), l.step(), h[0], h[1], h[2], h[3],
        h[4], h[5], h[6], h[7]);
  }

  /** The evidence as the miner serves it after committing {@code tree}: its leaves and root. */
  public static StepEvidence recommitted(StepEvidence e, RoundTree tree) {
    StepEvidence.Commitment c = e.commitment();
    StepEvidence.Commitment recommitted =
        new StepEvidence.Commitment(
            c.runId(),
            c.round(),
            c.miner(),
            c.stage(),
            c.lane(),
            tree.root(),
            c.baseHash(),
            c.previousMiner(),
            c.nextMiner(),
            c.laneStage0Miner(),
            c.domain());
    List<StepEvidence.StepRecord> steps = new ArrayList<>();
    for (StepEvidence.StepRecord s : e.steps()) {
      StepLeaf l = tree.leaf(s.leaf().step());
      steps.add(s.withLeaf(l, tree.proof(l)));
    }
    return new StepEvidence(recommitted, e.checkpointStep(), e.checkpoint(), steps);
  }
}
