package io.protolearn.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.protolearn.protocol.Golden;
import org.junit.jupiter.api.Test;

class TensorMessageTest {
  private static final Secp256k1.KeyPair KEY =
      Secp256k1.fromPrivateKeyHex(
          "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
  private static final TensorMessage.Domain DOMAIN =
      new TensorMessage.Domain(
          31337, Address.fromHex("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

  private static TensorMessage message(JsonNode golden) {
    return new TensorMessage(1, 2, 3, 4, 0, 1, Bytes32.fromHex(golden.get("tensorHash").asText()));
  }

  @Test
  void shouldDeriveTheEthereumAddressOfAKey() {
    assertThat(KEY.address().toChecksumHex())
        .isEqualTo("0x2c7536E3605D9C16a7a3D7b1898e529396a65c23");
  }

  @Test
  void shouldComputeTheSameDigestAndSignatureAsEthers() {
    JsonNode golden = Golden.resource("ethers-golden.json").get("eip712");
    TensorMessage msg = message(golden);
    assertThat(msg.digest(DOMAIN).toHex()).isEqualTo(golden.get("digest").asText());
    assertThat(Hex.encode(msg.sign(DOMAIN, KEY))).isEqualTo(golden.get("signature").asText());
  }

  @Test
  void shouldRecoverTheSigner() {
    JsonNode golden = Golden.resource("ethers-golden.json").get("eip712");
    TensorMessage msg = message(golden);
    byte[] sig = Hex.decode(golden.get("signature").asText());
    assertThat(msg.recoverSigner(DOMAIN, sig)).contains(KEY.address());
  }

  @Test
  void shouldNotRecoverTheSignerOfAnAlteredMessage() {
    JsonNode golden = Golden.resource("ethers-golden.json").get("eip712");
    TensorMessage msg = message(golden);
    byte[] sig = msg.sign(DOMAIN, KEY);
    TensorMessage altered = new TensorMessage(1, 2, 3, 5, 0, 1, msg.tensorHash());
    assertThat(altered.recoverSigner(DOMAIN, sig))
        .isNotEqualTo(java.util.Optional.of(KEY.address()));
  }

  @Test
  void shouldRejectMalformedSignatures() {
    TensorMessage msg = message(Golden.resource("ethers-golden.json").get("eip712"));
    assertThat(msg.recoverSigner(DOMAIN, new byte[64])).isEmpty();
    assertThat(msg.recoverSigner(DOMAIN, new byte[65])).isEmpty();
    byte[] sig = msg.sign(DOMAIN, KEY);
    sig[64] = 30;
    assertThat(msg.recoverSigner(DOMAIN, sig)).isEmpty();
  }

  @Test
  void shouldRefuseNonAdjacentStages() {
    assertThatThrownBy(() -> new TensorMessage(1, 1, 0, 0, 0, 2, Bytes32.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
