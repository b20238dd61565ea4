package io.protolearn.node.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArtifactApiTest {
  private static final Address MINER = Address.fromHex("0x" + "ab".repeat(20));

  private static Bytes32 h(String s) {
    return new Bytes32(Keccak.keccak256(s.getBytes(StandardCharsets.UTF_8)));
  }

  /** A leaf of made-up hashes (also the routes test's). */
  static StepLeaf leaf(int step) {
    return new StepLeaf(
        7,
        3_000_000_000L,
        MINER,
        1,
        2,
        step,
        h("b" + step),
        h("o" + step),
        h("i" + step),
        h("u" + step),
        h("x" + step),
        h("g" + step),
        h("p" + step),
        h("a" + step));
  }

  private static byte[] bytes(JsonObject json) {
    return json.encode().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldDecodeTheLeafItEncodesWithAProofUnderTheRoot() {
    List<StepLeaf> leaves = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      leaves.add(leaf(i));
    }
    RoundTree tree = RoundTree.of(leaves);
    ProvenLeaf sent = new ProvenLeaf(tree.leaf(3), tree.proof(tree.leaf(3)));

    JsonObject json = ArtifactApi.encodeLeaf(sent);
    assertThat(json.getJsonArray("leaf").getString(1)).isEqualTo("3000000000");
    assertThat(json.getJsonArray("leaf").getString(2)).isEqualTo(MINER.toChecksumHex());
    ProvenLeaf received = ArtifactApi.decodeLeaf(bytes(json));

    assertThat(received).isEqualTo(sent);
    assertThat(received.includedIn(tree.root())).isTrue();
  }

  @Test
  void shouldRefuseMalformedLeaves() {
    JsonObject good = ArtifactApi.encodeLeaf(new ProvenLeaf(leaf(0), List.of()));
    JsonObject short13 = good.copy();
    short13.getJsonArray("leaf").remove(13);
    JsonObject negative = good.copy();
    negative.getJsonArray("leaf").set(0, "-1");
    JsonObject longProof = good.copy();
    for (int i = 0; i <= ArtifactApi.MAX_PROOF; i++) {
      longProof.getJsonArray("proof").add(h("p").toHex());
    }
    for (JsonObject bad : List.of(short13, negative, longProof, new JsonObject())) {
      assertThatThrownBy(() -> ArtifactApi.decodeLeaf(bytes(bad)))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> ArtifactApi.decodeLeaf("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldDecodeTheCommitmentItEncodes() {
    ServedCommitment c =
        new ServedCommitment(new Commitment(h("root"), 12, h("delta"), h("base")), 3, 1);
    JsonObject json = ArtifactApi.encodeCommitment(c);
    assertThat(json.fieldNames())
        .containsExactlyInAnyOrder("root", "stepCount", "deltaHash", "baseHash", "lane", "stage");
    assertThat(ArtifactApi.decodeCommitment(bytes(json))).isEqualTo(c);
    assertThatThrownBy(() -> ArtifactApi.decodeCommitment(bytes(json.copy().put("root", "0x1"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldDecodeTheTensorHeaderItEncodes() {
    TensorMessage m = new TensorMessage(7, 4, 1, 9, 0, 1, h("tensor"));
    byte[] signature = new byte[65];
    signature[64] = 27;
    String text = ArtifactApi.encodeTensorHeader(m, signature);
    assertThat(new JsonObject(text).fieldNames())
        .containsExactly(
            "runId", "round", "lane", "step", "fromStage", "toStage", "tensorHash", "signature");

    ArtifactApi.TensorHeader back = ArtifactApi.decodeTensorHeader(text);

    assertThat(back.message()).isEqualTo(m);
    assertThat(back.signature()).isEqualTo(signature);
    assertThatThrownBy(() -> ArtifactApi.decodeTensorHeader("{\"runId\":"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ArtifactApi.decodeTensorHeader("{\"runId\":1}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldBuildThePathsTheRoutesMatch() {
    assertThat(ArtifactApi.leafPath(4, 2))
        .isEqualTo(ArtifactApi.LEAF_ROUTE.replace(":round", "4").replace(":step", "2"));
    assertThat(ArtifactApi.evidencePath(4, 2))
        .isEqualTo(ArtifactApi.EVIDENCE_ROUTE.replace(":round", "4").replace(":step", "2"));
    assertThat(ArtifactApi.commitmentPath(4))
        .isEqualTo(ArtifactApi.COMMITMENT_ROUTE.replace(":round", "4"));
    assertThat(ArtifactApi.deltaPath(4)).isEqualTo(ArtifactApi.DELTA_ROUTE.replace(":round", "4"));
  }
}
