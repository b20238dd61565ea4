package io.protolearn.protocol.leaf;

import io.protolearn.protocol.crypto.AbiEncoder;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import java.util.List;

/**
 * The record of one inner training step (DESIGN.md §4). Its ABI encoding, in field order, is {@code
 * (uint256,uint256,address,uint256,uint256,uint256,bytes32 x8)}, and its leaf hash is {@code
 * keccak256(bytes.concat(keccak256(abi.encode(values))))}, as OpenZeppelin's StandardMerkleTree
 * computes it.
 */
public record StepLeaf(
    long runId,
    long round,
    Address miner,
    int stage,
    int lane,
    int step,
    Bytes32 paramsBeforeHash,
    Bytes32 optStateBeforeHash,
    Bytes32 inputHash,
    Bytes32 upstreamGradHash,
    Bytes32 outputHash,
    Bytes32 inputGradHash,
    Bytes32 paramGradHash,
    Bytes32 paramsAfterHash) {

  /** The Solidity types of the leaf, in order, as given to StandardMerkleTree.of. */
  public static final List<String> ABI_TYPES =
      List.of(
          "uint256", "uint256", "address", "uint256", "uint256", "uint256", "bytes32", "bytes32",
          "bytes32", "bytes32", "bytes32", "bytes32", "bytes32", "bytes32");

  /** Size of {@link #abiEncode()}: 14 words. */
  public static final int ENCODED_SIZE = 14 * 32;

  public StepLeaf {
    if (runId < 0 || round < 0 || stage < 0 || lane < 0 || step < 0) {
      throw new IllegalArgumentException("leaf numbers must be non-negative");
    }
  }

  /** {@code abi.encode} of the fields in order. */
  public byte[] abiEncode() {
    return AbiEncoder.create()
        .uint(runId)
        .uint(round)
        .address(miner)
        .uint(stage)
        .uint(lane)
        .uint(step)
        .bytes32(paramsBeforeHash)
        .bytes32(optStateBeforeHash)
        .bytes32(inputHash)
        .bytes32(upstreamGradHash)
        .bytes32(outputHash)
        .bytes32(inputGradHash)
        .bytes32(paramGradHash)
        .bytes32(paramsAfterHash)
        .toBytes();
  }

  /** The Merkle leaf hash: keccak256(keccak256(abi.encode(values))). */
  public Bytes32 leafHash() {
    return new Bytes32(Keccak.keccak256(Keccak.keccak256(abiEncode())));
  }

  /** Decodes {@link #abiEncode()} output; throws IllegalArgumentException on malformed input. */
  public static StepLeaf abiDecode(byte[] encoded) {
    if (encoded.length != ENCODED_SIZE) {
      throw new IllegalArgumentException(
          "a step leaf encodes to " + ENCODED_SIZE + " bytes, got " + encoded.length);
    }
    WordReader r = new WordReader(encoded);
    return new StepLeaf(
        r.uint63(),
        r.uint63(),
        r.address(),
        r.int31(),
        r.int31(),
        r.int31(),
        r.bytes32(),
        r.bytes32(),
        r.bytes32(),
        r.bytes32(),
        r.bytes32(),
        r.bytes32(),
        r.bytes32(),
        r.bytes32());
  }

  private static final class WordReader {
    private final byte[] data;
    private int offset;

    WordReader(byte[] data) {
      this.data = data;
    }

    byte[] word() {
      byte[] w = java.util.Arrays.copyOfRange(data, offset, offset + 32);
      offset += 32;
      return w;
    }

    long uint63() {
      java.math.BigInteger v = new java.math.BigInteger(1, word());
      if (v.bitLength() > 63) {
        throw new IllegalArgumentException("leaf number out of range: " + v);
      }
      return v.longValueExact();
    }

    int int31() {
      long v = uint63();
      if (v > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("leaf index out of range: " + v);
      }
      return (int) v;
    }

    Address address() {
      byte[] w = word();
      for (int i = 0; i < 12; i++) {
        if (w[i] != 0) {
          throw new IllegalArgumentException("address word has non-zero high bytes");
        }
      }
      return new Address(java.util.Arrays.copyOfRange(w, 12, 32));
    }

    Bytes32 bytes32() {
      return new Bytes32(word());
    }
  }
}
