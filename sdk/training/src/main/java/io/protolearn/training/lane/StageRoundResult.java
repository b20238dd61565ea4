package io.protolearn.training.lane;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.training.model.StageState;
import io.protolearn.training.tensor.HostTensor;
import java.util.List;

/**
 * One miner's round of one stage: its leaves and their tree (the committed root), its end state,
 * its pseudo-gradient {@code delta = base - end} and the values of its {@code commit} (DESIGN.md
 * §4). {@code meanLoss} is the mean training loss on the last stage, NaN elsewhere.
 */
public record StageRoundResult(
    int stage,
    int lane,
    Address miner,
    RoundTree tree,
    StageState end,
    List<HostTensor> delta,
    Bytes32 deltaHash,
    Bytes32 baseHash,
    StageArtifacts artifacts,
    double meanLoss) {

  public Bytes32 root() {
    return tree.root();
  }

  public int stepCount() {
    return tree.leaves().size();
  }
}
