package io.protolearn.protocol.dispute;

import io.protolearn.protocol.crypto.AbiEncoder;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;

/**
 * The evidence hashes the DisputeManager keys fraud proofs, jury challenges and juror forfeits by
 * (contracts/src/libraries/Evidence.sol): {@code keccak256(abi.encode(tag, ...))}. Each hash backs
 * one proof or challenge only, so a node can ask the chain whether a fault was already filed. Leaf
 * arguments are leaf hashes ({@code StepLeaf.leafHash()}). Pinned by
 * contracts/test/vectors/evidence.json.
 */
public final class Evidence {
  /** The tag of a juror's forfeited bond. */
  public static final int JUROR_TAG = 32;

  private Evidence() {}

  /** Two consecutive leaves whose parameter hashes do not link. */
  public static Bytes32 chainBreak(
      long runId, long round, Address miner, Bytes32 leafA, Bytes32 leafB) {
    return hash(
        coordinates(FaultKind.CHAIN_BREAK, runId, round, miner).bytes32(leafA).bytes32(leafB));
  }

  /** A step-0 leaf that does not start from the committed base. */
  public static Bytes32 baseMismatch(long runId, long round, Address miner, Bytes32 leaf) {
    return hash(coordinates(FaultKind.BASE_MISMATCH, runId, round, miner).bytes32(leaf));
  }

  /** A signed lane message, by its EIP-712 digest, that contradicts the signer's own leaf. */
  public static Bytes32 equivocation(Bytes32 digest) {
    return hash(AbiEncoder.create().uint(FaultKind.EQUIVOCATION.tag()).bytes32(digest));
  }

  /** A leaf under the committed root whose coordinates contradict the commitment. */
  public static Bytes32 malformed(long runId, long round, Address miner, Bytes32 leaf) {
    return hash(coordinates(FaultKind.MALFORMED, runId, round, miner).bytes32(leaf));
  }

  /** A jury challenge claiming the leaf was computed wrongly. */
  public static Bytes32 wrongResult(long runId, long round, Address miner, Bytes32 leaf) {
    return hash(coordinates(FaultKind.WRONG_RESULT, runId, round, miner).bytes32(leaf));
  }

  /** A jury challenge claiming the miner did not serve step {@code step}. */
  public static Bytes32 unavailable(long runId, long round, Address miner, long step) {
    return hash(coordinates(FaultKind.UNAVAILABLE, runId, round, miner).uint(step));
  }

  /** The bond a drawn juror forfeits by not revealing its vote. */
  public static Bytes32 jurorForfeit(long challengeId, Address juror) {
    return hash(AbiEncoder.create().uint(JUROR_TAG).uint(challengeId).address(juror));
  }

  /**
   * The key a reporter commits before revealing a proof or challenge (DESIGN §6 v2):
   * keccak256(abi.encode(evidence, reporter, salt)).
   */
  public static Bytes32 reportKey(Bytes32 evidence, Address reporter, Bytes32 salt) {
    return hash(AbiEncoder.create().bytes32(evidence).address(reporter).bytes32(salt));
  }

  private static AbiEncoder coordinates(FaultKind kind, long runId, long round, Address miner) {
    return AbiEncoder.create().uint(kind.tag()).uint(runId).uint(round).address(miner);
  }

  private static Bytes32 hash(AbiEncoder e) {
    return new Bytes32(Keccak.keccak256(e.toBytes()));
  }
}
