package io.protolearn.protocol.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.protolearn.protocol.Golden;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandardMerkleTreeTest {

  @Test
  void shouldReproduceOpenZeppelinRootLeafHashesAndProofs() {
    JsonNode golden = Golden.resource("ethers-golden.json");
    List<StepLeaf> leaves = new ArrayList<>();
    for (JsonNode entry : golden.get("leaves")) {
      StepLeaf leaf = Golden.leaf(entry.get("value"));
      assertThat(leaf.leafHash().toHex()).isEqualTo(entry.get("hash").asText());
      leaves.add(leaf);
    }
    RoundTree tree = RoundTree.of(leaves);
    assertThat(tree.root().toHex()).isEqualTo(golden.get("root").asText());
    for (JsonNode entry : golden.get("leaves")) {
      StepLeaf leaf = Golden.leaf(entry.get("value"));
      List<String> expected = new ArrayList<>();
      entry.get("proof").forEach(p -> expected.add(p.asText()));
      assertThat(tree.proof(leaf).stream().map(Bytes32::toHex)).containsExactlyElementsOf(expected);
      assertThat(RoundTree.verify(leaf, tree.proof(leaf), tree.root())).isTrue();
    }
  }

  @Test
  void shouldRejectProofOfAnotherLeaf() {
    JsonNode golden = Golden.resource("ethers-golden.json");
    List<StepLeaf> leaves = new ArrayList<>();
    golden.get("leaves").forEach(e -> leaves.add(Golden.leaf(e.get("value"))));
    RoundTree tree = RoundTree.of(leaves);
    assertThat(RoundTree.verify(leaves.get(0), tree.proof(leaves.get(1)), tree.root())).isFalse();
  }

  @Test
  void shouldTreatSingleLeafAsItsOwnRoot() {
    Bytes32 leaf =
        new Bytes32(
            new byte[] {
              1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
              25, 26, 27, 28, 29, 30, 31, 32
            });
    StandardMerkleTree tree = StandardMerkleTree.of(List.of(leaf));
    assertThat(tree.root()).isEqualTo(leaf);
    assertThat(tree.proof(leaf)).isEmpty();
  }

  @Test
  void shouldRefuseEmptyTree() {
    assertThatThrownBy(() -> StandardMerkleTree.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
