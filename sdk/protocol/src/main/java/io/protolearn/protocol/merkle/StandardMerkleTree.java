package io.protolearn.protocol.merkle;

import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Merkle tree built exactly as OpenZeppelin's {@code StandardMerkleTree} with its default
 * options: leaf hashes sorted ascending, stored right-to-left at the end of a flat array, and every
 * node {@code keccak256} of its two children in sorted order. Roots and proofs verify with
 * OpenZeppelin's {@code MerkleProof}.
 */
public final class StandardMerkleTree {
  private final Bytes32[] tree;
  private final Map<Bytes32, Integer> treeIndexByLeaf;

  private StandardMerkleTree(Bytes32[] tree, Map<Bytes32, Integer> treeIndexByLeaf) {
    this.tree = tree;
    this.treeIndexByLeaf = treeIndexByLeaf;
  }

  /** Builds the tree over the given leaf hashes (order does not matter; they are sorted). */
  public static StandardMerkleTree of(List<Bytes32> leafHashes) {
    if (leafHashes.isEmpty()) {
      throw new IllegalArgumentException("a Merkle tree needs at least one leaf");
    }
    List<Bytes32> sorted = new ArrayList<>(leafHashes);
    Collections.sort(sorted);
    int n = sorted.size();
    Bytes32[] tree = new Bytes32[2 * n - 1];
    Map<Bytes32, Integer> index = new HashMap<>();
    for (int i = 0; i < n; i++) {
      int at = tree.length - 1 - i;
      tree[at] = sorted.get(i);
      index.putIfAbsent(sorted.get(i), at);
    }
    for (int i = tree.length - 1 - n; i >= 0; i--) {
      tree[i] = hashPair(tree[2 * i + 1], tree[2 * i + 2]);
    }
    return new StandardMerkleTree(tree, index);
  }

  public Bytes32 root() {
    return tree[0];
  }

  public int size() {
    return (tree.length + 1) / 2;
  }

  /** The proof of a leaf hash (sibling hashes from the leaf up), as MerkleProof expects. */
  public List<Bytes32> proof(Bytes32 leafHash) {
    Integer at = treeIndexByLeaf.get(leafHash);
    if (at == null) {
      throw new IllegalArgumentException("leaf is not in the tree: " + leafHash);
    }
    List<Bytes32> proof = new ArrayList<>();
    int i = at;
    while (i > 0) {
      int sibling = (i % 2 == 1) ? i + 1 : i - 1;
      proof.add(tree[sibling]);
      i = (i - 1) / 2;
    }
    return List.copyOf(proof);
  }

  /** OpenZeppelin's {@code MerkleProof.verify}. */
  public static boolean verify(List<Bytes32> proof, Bytes32 root, Bytes32 leafHash) {
    Bytes32 computed = leafHash;
    for (Bytes32 sibling : proof) {
      computed = hashPair(computed, sibling);
    }
    return computed.equals(root);
  }

  /** keccak256 of the two hashes in ascending order. */
  public static Bytes32 hashPair(Bytes32 a, Bytes32 b) {
    return a.compareTo(b) <= 0
        ? new Bytes32(Keccak.keccak256(a.bytes(), b.bytes()))
        : new Bytes32(Keccak.keccak256(b.bytes(), a.bytes()));
  }
}
