package io.protolearn.training.bench;

import io.protolearn.node.store.StepKey;
import io.protolearn.node.store.StepStore;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.lane.RoundContext;
import io.protolearn.training.lane.SignedTensor;
import io.protolearn.training.lane.StageArtifacts;
import io.protolearn.training.lane.StepSink;
import io.protolearn.training.model.StageState;
import io.protolearn.training.tensor.TensorCodec;

/** Persists a miner's artifacts into the node's RocksDB store, as a miner would. */
final class RocksStepSink implements StepSink {
  private final StepStore store;

  RocksStepSink(StepStore store) {
    this.store = store;
  }

  @Override
  public void checkpoint(RoundContext ctx, int stage, int lane, int step, StageState state) {
    store.putCheckpoint(new StepKey(ctx.runId(), ctx.round(), stage, lane, step), state.encode());
  }

  @Override
  public void step(
      RoundContext ctx, int stage, int lane, StageArtifacts.StepInputs inputs, StepLeaf leaf) {
    StepKey key = new StepKey(ctx.runId(), ctx.round(), stage, lane, leaf.step());
    store.putArtifact(key, StepStore.ArtifactKind.INPUT, TensorCodec.encode(inputs.input()));
    store.putArtifact(key, StepStore.ArtifactKind.UPSTREAM, TensorCodec.encode(inputs.upstream()));
    putMessage(key, StepStore.ArtifactKind.INPUT_MESSAGE, inputs.inputMessage());
    putMessage(key, StepStore.ArtifactKind.UPSTREAM_MESSAGE, inputs.upstreamMessage());
    store.putLeaf(key, leaf.abiEncode());
  }

  private void putMessage(StepKey key, StepStore.ArtifactKind kind, SignedTensor m) {
    if (m != null) {
      store.putArtifact(key, kind, m.signature());
    }
  }

  @Override
  public void roundEnd(RoundContext ctx, int stage, int lane, int steps) {
    store.sealRound(ctx.runId(), ctx.round(), stage, lane, steps);
  }
}
