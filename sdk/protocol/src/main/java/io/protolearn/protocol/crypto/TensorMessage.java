package io.protolearn.protocol.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The signed header of a tensor sent between lane members (DESIGN.md §3): EIP-712 typed data {@code
 * TensorMessage(uint256 runId,uint256 round,uint256 lane,uint256 step,uint256 fromStage,uint256
 * toStage,bytes32 tensorHash)} in the domain {@code {name: "protolearn", version: "1", chainId,
 * verifyingContract: DisputeManager}}. {@code toStage = fromStage + 1} carries activations, {@code
 * toStage = fromStage - 1} a gradient.
 */
public record TensorMessage(
    long runId, long round, int lane, int step, int fromStage, int toStage, Bytes32 tensorHash) {

  public static final String TYPE =
      "TensorMessage(uint256 runId,uint256 round,uint256 lane,uint256 step,uint256 fromStage,"
          + "uint256 toStage,bytes32 tensorHash)";
  private static final byte[] TYPE_HASH = Keccak.keccak256(TYPE.getBytes(StandardCharsets.UTF_8));
  private static final byte[] DOMAIN_TYPE_HASH =
      Keccak.keccak256(
          "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
              .getBytes(StandardCharsets.UTF_8));

  public TensorMessage {
    if (Math.abs(fromStage - toStage) != 1 || fromStage < 0 || toStage < 0) {
      throw new IllegalArgumentException(
          "a tensor goes to an adjacent stage: " + fromStage + " -> " + toStage);
    }
  }

  /** True when the tensor is an activation sent forward, false for a gradient sent back. */
  public boolean isActivation() {
    return toStage == fromStage + 1;
  }

  /** The EIP-712 domain of a deployment. */
  public record Domain(long chainId, Address verifyingContract) {
    public Bytes32 separator() {
      return new Bytes32(
          Keccak.keccak256(
              AbiEncoder.create()
                  .raw(DOMAIN_TYPE_HASH)
                  .raw(Keccak.keccak256("protolearn".getBytes(StandardCharsets.UTF_8)))
                  .raw(Keccak.keccak256("1".getBytes(StandardCharsets.UTF_8)))
                  .uint(chainId)
                  .address(verifyingContract)
                  .toBytes()));
    }
  }

  public Bytes32 structHash() {
    return new Bytes32(
        Keccak.keccak256(
            AbiEncoder.create()
                .raw(TYPE_HASH)
                .uint(runId)
                .uint(round)
                .uint(lane)
                .uint(step)
                .uint(fromStage)
                .uint(toStage)
                .bytes32(tensorHash)
                .toBytes()));
  }

  /** The digest that is signed: keccak256("\x19\x01" || domainSeparator || structHash). */
  public Bytes32 digest(Domain domain) {
    return new Bytes32(
        Keccak.keccak256(
            new byte[] {0x19, 0x01}, domain.separator().bytes(), structHash().bytes()));
  }

  public byte[] sign(Domain domain, Secp256k1.KeyPair key) {
    return Secp256k1.sign(digest(domain), key);
  }

  /** The signer of this message under the domain, or empty for an invalid signature. */
  public Optional<Address> recoverSigner(Domain domain, byte[] signature) {
    return Secp256k1.recover(digest(domain), signature);
  }
}
