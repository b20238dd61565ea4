package io.protolearn.training.lane;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import java.util.Optional;

/**
 * A tensor sent between lane members with its EIP-712 signed header (DESIGN.md §3). The receiver
 * keeps the whole message: the signature proves what it was sent.
 */
public record SignedTensor(TensorMessage header, byte[] signature, HostTensor tensor) {

  public SignedTensor {
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  public static SignedTensor sign(
      TensorMessage.Domain domain,
      Secp256k1.KeyPair key,
      long runId,
      long round,
      int lane,
      int step,
      int fromStage,
      int toStage,
      HostTensor tensor) {
    TensorMessage header =
        new TensorMessage(runId, round, lane, step, fromStage, toStage, TensorCodec.hash(tensor));
    return new SignedTensor(header, header.sign(domain, key), tensor);
  }

  /**
   * Why this message must be refused by a receiver that expects {@code expectedSigner}, or empty
   * when it is valid: the tensor matches the signed hash and the signer is the lane peer.
   */
  public Optional<String> problem(TensorMessage.Domain domain, Address expectedSigner) {
    if (!TensorCodec.hash(tensor).equals(header.tensorHash())) {
      return Optional.of("tensor does not match its signed hash");
    }
    Optional<Address> signer = header.recoverSigner(domain, signature);
    if (signer.isEmpty()) {
      return Optional.of("invalid signature");
    }
    if (!signer.get().equals(expectedSigner)) {
      return Optional.of("signed by " + signer.get() + ", not by lane peer " + expectedSigner);
    }
    return TensorBounds.problem(tensor);
  }
}
