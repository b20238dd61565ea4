package io.protolearn.protocol.leaf;

import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.merkle.StandardMerkleTree;
import java.util.List;

/** A miner's step leaves of one round and their Merkle tree (DESIGN.md §4). */
public final class RoundTree {
  private final List<StepLeaf> leaves;
  private final StandardMerkleTree tree;

  private RoundTree(List<StepLeaf> leaves, StandardMerkleTree tree) {
    this.leaves = leaves;
    this.tree = tree;
  }

  public static RoundTree of(List<StepLeaf> leaves) {
    List<StepLeaf> copy = List.copyOf(leaves);
    return new RoundTree(
        copy, StandardMerkleTree.of(copy.stream().map(StepLeaf::leafHash).toList()));
  }

  public Bytes32 root() {
    return tree.root();
  }

  public List<StepLeaf> leaves() {
    return leaves;
  }

  /** The leaf of step {@code step}, or an exception if the round has no such step. */
  public StepLeaf leaf(int step) {
    return leaves.stream()
        .filter(l -> l.step() == step)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no leaf for step " + step));
  }

  public List<Bytes32> proof(StepLeaf leaf) {
    return tree.proof(leaf.leafHash());
  }

  public static boolean verify(StepLeaf leaf, List<Bytes32> proof, Bytes32 root) {
    return StandardMerkleTree.verify(proof, root, leaf.leafHash());
  }
}
