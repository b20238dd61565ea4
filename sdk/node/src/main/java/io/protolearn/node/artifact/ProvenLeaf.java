package io.protolearn.node.artifact;

import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import java.util.List;

/** A leaf with its Merkle proof, as a miner serves it. */
public record ProvenLeaf(StepLeaf leaf, List<Bytes32> proof) {
  public ProvenLeaf {
    proof = List.copyOf(proof);
  }

  public boolean includedIn(Bytes32 root) {
    return RoundTree.verify(leaf, proof, root);
  }
}
