package io.protolearn.protocol.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.protolearn.protocol.Golden;
import io.protolearn.protocol.crypto.AbiEncoder;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import io.protolearn.protocol.leaf.StepLeaf;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The vectors the Hardhat tests verify on chain (contracts/test/vectors/merkle.json, made with
 * the @openzeppelin/merkle-tree package): Java must build the same leaf hashes, roots and proofs.
 * Random vectors use the full uint256 range, wider than {@link StepLeaf}'s fields, so leaves are
 * encoded generically here; those that fit are also checked through {@link StepLeaf}.
 */
class ContractVectorsTest {

  @Test
  void shouldReproduceEveryTreeOfTheSharedVectorFile() {
    JsonNode vectors = Golden.repoFile("contracts/test/vectors/merkle.json");
    List<String> types = new ArrayList<>();
    vectors.get("leafEncoding").forEach(t -> types.add(t.asText()));
    assertThat(types).containsExactlyElementsOf(StepLeaf.ABI_TYPES);
    assertThat(vectors.get("trees").size()).isGreaterThanOrEqualTo(4);
    int checkedAsStepLeaf = 0;
    for (JsonNode tree : vectors.get("trees")) {
      String name = tree.get("name").asText();
      List<Bytes32> hashes = new ArrayList<>();
      for (JsonNode entry : tree.get("leaves")) {
        Bytes32 hash = leafHash(entry.get("values"), types);
        assertThat(hash.toHex()).as("leaf hash in %s", name).isEqualTo(entry.get("hash").asText());
        if (fitsStepLeaf(entry.get("values"))) {
          assertThat(Golden.leaf(entry.get("values")).leafHash()).isEqualTo(hash);
          checkedAsStepLeaf++;
        }
        hashes.add(hash);
      }
      StandardMerkleTree built = StandardMerkleTree.of(hashes);
      assertThat(built.root().toHex()).as("root of %s", name).isEqualTo(tree.get("root").asText());
      for (JsonNode entry : tree.get("leaves")) {
        List<String> expected = new ArrayList<>();
        entry.get("proof").forEach(p -> expected.add(p.asText()));
        assertThat(
                built.proof(Bytes32.fromHex(entry.get("hash").asText())).stream()
                    .map(Bytes32::toHex))
            .as("proof in %s", name)
            .containsExactlyElementsOf(expected);
      }
    }
    assertThat(checkedAsStepLeaf).isPositive();
  }

  private static Bytes32 leafHash(JsonNode values, List<String> types) {
    AbiEncoder enc = AbiEncoder.create();
    for (int i = 0; i < types.size(); i++) {
      String v = values.get(i).asText();
      switch (types.get(i)) {
        case "uint256" -> enc.uint(new BigInteger(v));
        case "address" -> enc.address(Address.fromHex(v));
        case "bytes32" -> enc.bytes32(Bytes32.fromHex(v));
        default -> throw new IllegalStateException("unexpected type " + types.get(i));
      }
    }
    return new Bytes32(Keccak.keccak256(Keccak.keccak256(enc.toBytes())));
  }

  private static boolean fitsStepLeaf(JsonNode values) {
    BigInteger maxLong = BigInteger.valueOf(Long.MAX_VALUE);
    BigInteger maxInt = BigInteger.valueOf(Integer.MAX_VALUE);
    return new BigInteger(values.get(0).asText()).compareTo(maxLong) <= 0
        && new BigInteger(values.get(1).asText()).compareTo(maxLong) <= 0
        && new BigInteger(values.get(3).asText()).compareTo(maxInt) <= 0
        && new BigInteger(values.get(4).asText()).compareTo(maxInt) <= 0
        && new BigInteger(values.get(5).asText()).compareTo(maxInt) <= 0;
  }
}
