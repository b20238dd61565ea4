package io.protolearn.training.lane;

import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.model.StageState;
import io.protolearn.training.tensor.HostTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a miner keeps of one round of its stage, to serve validators (DESIGN.md §5): the state at
 * every checkpoint step (0, c, 2c, ...), the inputs and upstream gradients of every step with the
 * senders' signed messages, and its leaves. Filled as the {@link StepSink} of one stage's runner.
 */
public final class StageArtifacts implements StepSink {
  private final TreeMap<Integer, StageState> checkpoints = new TreeMap<>();
  private final List<StepInputs> inputs = new ArrayList<>();
  private final List<StepLeaf> leaves = new ArrayList<>();

  /**
   * A step's received tensors; a signed message is null where no peer sent it (stage 0 input, last
   * stage labels).
   */
  public record StepInputs(
      HostTensor input,
      HostTensor upstream,
      SignedTensor inputMessage,
      SignedTensor upstreamMessage) {}

  @Override
  public void checkpoint(RoundContext ctx, int stage, int lane, int step, StageState state) {
    checkpoints.put(step, state);
  }

  @Override
  public void step(RoundContext ctx, int stage, int lane, StepInputs stepInputs, StepLeaf leaf) {
    inputs.add(stepInputs);
    leaves.add(leaf);
  }

  /** The stored checkpoint nearest at or before {@code step}. */
  public Map.Entry<Integer, StageState> checkpointAtOrBefore(int step) {
    return checkpoints.floorEntry(step);
  }

  public Map<Integer, StageState> checkpoints() {
    return java.util.Collections.unmodifiableMap(checkpoints);
  }

  public StepInputs inputs(int step) {
    return inputs.get(step);
  }

  public List<StepLeaf> leaves() {
    return List.copyOf(leaves);
  }
}
