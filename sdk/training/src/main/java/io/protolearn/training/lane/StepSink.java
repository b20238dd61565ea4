package io.protolearn.training.lane;

import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.model.StageState;

/**
 * Where a miner persists what it must serve (a RocksDB store in the node; nothing in tests). Called
 * on the training thread after each checkpoint, step and round.
 */
public interface StepSink {
  StepSink NONE = new StepSink() {};

  default void checkpoint(RoundContext ctx, int stage, int lane, int step, StageState state) {}

  default void step(
      RoundContext ctx, int stage, int lane, StageArtifacts.StepInputs inputs, StepLeaf leaf) {}

  /** End of a miner's round: the point where writes must be durable (synced). */
  default void roundEnd(RoundContext ctx, StageRoundResult result) {}
}
