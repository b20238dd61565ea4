package io.protolearn.protocol.leaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.protolearn.protocol.Golden;
import org.junit.jupiter.api.Test;

class StepLeafTest {

  @Test
  void shouldRoundTripThroughAbiEncoding() {
    StepLeaf leaf =
        Golden.leaf(Golden.resource("ethers-golden.json").get("leaves").get(2).get("value"));
    assertThat(StepLeaf.abiDecode(leaf.abiEncode())).isEqualTo(leaf);
  }

  @Test
  void shouldRejectEncodingsOfTheWrongSize() {
    assertThatThrownBy(() -> StepLeaf.abiDecode(new byte[100]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("448");
  }

  @Test
  void shouldRejectAddressWordsWithHighBits() {
    StepLeaf leaf =
        Golden.leaf(Golden.resource("ethers-golden.json").get("leaves").get(0).get("value"));
    byte[] encoded = leaf.abiEncode();
    encoded[2 * 32] = 1;
    assertThatThrownBy(() -> StepLeaf.abiDecode(encoded))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
