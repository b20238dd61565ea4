package io.protolearn.validator.node;

import io.protolearn.node.artifact.ProvenLeaf;
import io.protolearn.protocol.crypto.AbiEncoder;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import io.protolearn.protocol.crypto.TensorMessage;

/**
 * The result of checking one sampled step, as a value (STYLE: expected outcomes are values): a
 * match (a receipt), fraud decidable on chain, a wrong result for a jury, or an unavailable step.
 * {@link #evidenceHash} is the hash the DisputeManager keys the proof or challenge by
 * (docs/CONTRACTS.md §7), so the node can ask the chain whether it was already filed.
 */
public sealed interface CheckOutcome {
  /** The miner whose step was checked, or who is accused. */
  Address accused();

  /** The step checked or disputed. */
  int step();

  String describe();

  /** The step recomputed to the committed hashes. */
  record Match(Address accused, int step, Bytes32 leafHash) implements CheckOutcome {
    /** The receipt: keccak256(abi.encode(miner, step, leafHash)). */
    public Bytes32 receipt() {
      return new Bytes32(
          Keccak.keccak256(
              AbiEncoder.create().address(accused).uint(step).bytes32(leafHash).toBytes()));
    }

    @Override
    public String describe() {
      return "match";
    }
  }

  /** Anything that calls for a fraud proof or a challenge. */
  sealed interface Fault extends CheckOutcome {
    Bytes32 evidenceHash(long runId, long round);

    /** A short stable name for markers and logs. */
    String kind();
  }

  /** Two consecutive leaves whose parameter hashes do not link (kind 0). */
  record ChainBreak(Address accused, ProvenLeaf a, ProvenLeaf b) implements Fault {
    @Override
    public int step() {
      return b.leaf().step();
    }

    @Override
    public Bytes32 evidenceHash(long runId, long round) {
      return hash(
          AbiEncoder.create()
              .uint(0)
              .uint(runId)
              .uint(round)
              .address(accused)
              .bytes32(a.leaf().leafHash())
              .bytes32(b.leaf().leafHash()));
    }

    @Override
    public String kind() {
      return "chain-break";
    }

    @Override
    public String describe() {
      return "params after step " + a.leaf().step() + " differ from params before the next";
    }
  }

  /** Step 0 does not start from the committed base (kind 1). */
  record BaseMismatch(Address accused, ProvenLeaf leaf) implements Fault {
    @Override
    public int step() {
      return leaf.leaf().step();
    }

    @Override
    public Bytes32 evidenceHash(long runId, long round) {
      return hash(
          AbiEncoder.create()
              .uint(1)
              .uint(runId)
              .uint(round)
              .address(accused)
              .bytes32(leaf.leaf().leafHash()));
    }

    @Override
    public String kind() {
      return "base-mismatch";
    }

    @Override
    public String describe() {
      return "step 0 does not start from the committed base";
    }
  }

  /** A signed tensor of the sender that differs from the sender's own leaf (kind 2). */
  record Equivocation(
      Address accused,
      TensorMessage message,
      byte[] signature,
      ProvenLeaf senderLeaf,
      TensorMessage.Domain domain)
      implements Fault {
    @Override
    public int step() {
      return (int) message.step();
    }

    @Override
    public Bytes32 evidenceHash(long runId, long round) {
      return hash(AbiEncoder.create().uint(2).bytes32(message.digest(domain)));
    }

    @Override
    public String kind() {
      return "equivocation";
    }

    @Override
    public String describe() {
      return "signed a tensor at step " + message.step() + " that differs from its own leaf";
    }
  }

  /** A proven leaf whose coordinates contradict the commitment (kind 3). */
  record Malformed(Address accused, ProvenLeaf leaf) implements Fault {
    @Override
    public int step() {
      return leaf.leaf().step();
    }

    @Override
    public Bytes32 evidenceHash(long runId, long round) {
      return hash(
          AbiEncoder.create()
              .uint(3)
              .uint(runId)
              .uint(round)
              .address(accused)
              .bytes32(leaf.leaf().leafHash()));
    }

    @Override
    public String kind() {
      return "malformed";
    }

    @Override
    public String describe() {
      return "a leaf under the root names the wrong run, round, miner, stage or step";
    }
  }

  /** The recomputation differs from the committed leaf: a jury decides (kind 16). */
  record WrongResult(Address accused, ProvenLeaf leaf, String reason) implements Fault {
    @Override
    public int step() {
      return leaf.leaf().step();
    }

    @Override
    public Bytes32 evidenceHash(long runId, long round) {
      return hash(
          AbiEncoder.create()
              .uint(16)
              .uint(runId)
              .uint(round)
              .address(accused)
              .bytes32(leaf.leaf().leafHash()));
    }

    @Override
    public String kind() {
      return "wrong-result";
    }

    @Override
    public String describe() {
      return "wrong result: " + reason;
    }
  }

  /** The miner served nothing usable for the step: a jury decides (kind 17). */
  record Unavailable(Address accused, int step, String reason) implements Fault {
    @Override
    public Bytes32 evidenceHash(long runId, long round) {
      return hash(AbiEncoder.create().uint(17).uint(runId).uint(round).address(accused).uint(step));
    }

    @Override
    public String kind() {
      return "unavailable";
    }

    @Override
    public String describe() {
      return "unavailable: " + reason;
    }
  }

  private static Bytes32 hash(AbiEncoder e) {
    return new Bytes32(Keccak.keccak256(e.toBytes()));
  }
}
