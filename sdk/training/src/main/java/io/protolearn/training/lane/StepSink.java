package io.protolearn.training.lane;

import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.model.StageState;

/**
 * Where a miner persists what it must serve (a RocksDB store in the node; {@link StageArtifacts} in
 * memory). Called by a stage's runner on its training thread after each checkpoint and step, and at
 * the end of a round in which it completed a step; the stages of an in-process lane run on threads
 * of their own, so a sink shared by them must be thread-safe.
 */
public interface StepSink {
  StepSink NONE = new StepSink() {};

  default void checkpoint(RoundContext ctx, int stage, int lane, int step, StageState state) {}

  default void step(
      RoundContext ctx, int stage, int lane, StageArtifacts.StepInputs inputs, StepLeaf leaf) {}

  /** End of a miner's round after {@code steps} steps: where writes must be durable (synced). */
  default void roundEnd(RoundContext ctx, int stage, int lane, int steps) {}

  /** Both sinks, {@code first} first. */
  static StepSink both(StepSink first, StepSink second) {
    return new StepSink() {
      @Override
      public void checkpoint(RoundContext ctx, int stage, int lane, int step, StageState state) {
        first.checkpoint(ctx, stage, lane, step, state);
        second.checkpoint(ctx, stage, lane, step, state);
      }

      @Override
      public void step(
          RoundContext ctx, int stage, int lane, StageArtifacts.StepInputs inputs, StepLeaf leaf) {
        first.step(ctx, stage, lane, inputs, leaf);
        second.step(ctx, stage, lane, inputs, leaf);
      }

      @Override
      public void roundEnd(RoundContext ctx, int stage, int lane, int steps) {
        first.roundEnd(ctx, stage, lane, steps);
        second.roundEnd(ctx, stage, lane, steps);
      }
    };
  }
}
