package io.protolearn.miner.node;

import io.protolearn.node.store.StepKey;
import io.protolearn.node.store.StepStore;
import io.protolearn.node.store.StepStore.ArtifactKind;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.lane.RoundContext;
import io.protolearn.training.lane.SignedTensor;
import io.protolearn.training.lane.StageArtifacts;
import io.protolearn.training.lane.StepSink;
import io.protolearn.training.model.StageState;
import io.protolearn.training.tensor.TensorCodec;

/**
 * What the miner's stage runner keeps to serve validators, in the step store: checkpoints, each
 * step's inputs, the signatures of the messages received and the leaf; the round sealed (synced) at
 * its end.
 */
final class StoreStepSink implements StepSink {
  private final StepStore store;

  StoreStepSink(StepStore store) {
    this.store = store;
  }

  @Override
  public void checkpoint(RoundContext ctx, int stage, int lane, int step, StageState state) {
    store.putCheckpoint(new StepKey(ctx.runId(), ctx.round(), stage, lane, step), state.encode());
  }

  @Override
  public void step(
      RoundContext ctx, int stage, int lane, StageArtifacts.StepInputs inputs, StepLeaf leaf) {
    StepKey k = new StepKey(ctx.runId(), ctx.round(), stage, lane, leaf.step());
    store.putArtifact(k, ArtifactKind.INPUT, TensorCodec.encode(inputs.input()));
    store.putArtifact(k, ArtifactKind.UPSTREAM, TensorCodec.encode(inputs.upstream()));
    signature(k, ArtifactKind.INPUT_MESSAGE, inputs.inputMessage());
    signature(k, ArtifactKind.UPSTREAM_MESSAGE, inputs.upstreamMessage());
    store.putLeaf(k, leaf.abiEncode());
  }

  private void signature(StepKey k, ArtifactKind kind, SignedTensor message) {
    if (message != null) {
      store.putArtifact(k, kind, message.signature());
    }
  }

  @Override
  public void roundEnd(RoundContext ctx, int stage, int lane, int steps) {
    store.sealRound(ctx.runId(), ctx.round(), stage, lane, steps);
  }
}
