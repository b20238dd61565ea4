package io.protolearn.validator.node;

import io.protolearn.node.artifact.ProvenLeaf;
import io.protolearn.protocol.crypto.AbiEncoder;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.dispute.Evidence;
import io.protolearn.protocol.dispute.FaultKind;

/**
 * The result of checking one sampled step, as a value (STYLE: expected outcomes are values): a
 * match (a receipt), fraud decidable on chain, a wrong result for a jury, or an unavailable step.
 * {@link #evidenceHash} is the hash the DisputeManager keys the proof or challenge by
 * (docs/CONTRACTS.md §7), computed by {@link Evidence}, so the node can ask the chain whether it
 * was already filed.
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

    FaultKind faultKind();

    /** A short stable name for markers and logs. */
    default String kind() {
      return faultKind().label();
    }
  }

  /** Two consecutive leaves whose parameter hashes do not link. */
  record ChainBreak(Address accused, ProvenLeaf a, ProvenLeaf b) implements Fault {
    @Override
    public int step() {
      return b.leaf().step();
    }

    @Override
    public Bytes32 evidenceHash(long runId, long round) {
      return Evidence.chainBreak(runId, round, accused, a.leaf().leafHash(), b.leaf().leafHash());
    }

    @Override
    public FaultKind faultKind() {
      return FaultKind.CHAIN_BREAK;
    }

    @Override
    public String describe() {
      return "params after step " + a.leaf().step() + " differ from params before the next";
    }
  }

  /** Step 0 does not start from the committed base. */
  record BaseMismatch(Address accused, ProvenLeaf leaf) implements Fault {
    @Override
    public int step() {
      return leaf.leaf().step();
    }

    @Override
    public Bytes32 evidenceHash(long runId, long round) {
      return Evidence.baseMismatch(runId, round, accused, leaf.leaf().leafHash());
    }

    @Override
    public FaultKind faultKind() {
      return FaultKind.BASE_MISMATCH;
    }

    @Override
    public String describe() {
      return "step 0 does not start from the committed base";
    }
  }

  /** A signed tensor of the sender that differs from the sender's own leaf. */
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
      return Evidence.equivocation(message.digest(domain));
    }

    @Override
    public FaultKind faultKind() {
      return FaultKind.EQUIVOCATION;
    }

    @Override
    public String describe() {
      return "signed a tensor at step " + message.step() + " that differs from its own leaf";
    }
  }

  /** A proven leaf whose coordinates contradict the commitment. */
  record Malformed(Address accused, ProvenLeaf leaf) implements Fault {
    @Override
    public int step() {
      return leaf.leaf().step();
    }

    @Override
    public Bytes32 evidenceHash(long runId, long round) {
      return Evidence.malformed(runId, round, accused, leaf.leaf().leafHash());
    }

    @Override
    public FaultKind faultKind() {
      return FaultKind.MALFORMED;
    }

    @Override
    public String describe() {
      return "a leaf under the root names the wrong run, round, miner, stage or step";
    }
  }

  /** The recomputation differs from the committed leaf: a jury decides. */
  record WrongResult(Address accused, ProvenLeaf leaf, String reason) implements Fault {
    @Override
    public int step() {
      return leaf.leaf().step();
    }

    @Override
    public Bytes32 evidenceHash(long runId, long round) {
      return Evidence.wrongResult(runId, round, accused, leaf.leaf().leafHash());
    }

    @Override
    public FaultKind faultKind() {
      return FaultKind.WRONG_RESULT;
    }

    @Override
    public String describe() {
      return "wrong result: " + reason;
    }
  }

  /** The miner served nothing usable for the step: a jury decides. */
  record Unavailable(Address accused, int step, String reason) implements Fault {
    @Override
    public Bytes32 evidenceHash(long runId, long round) {
      return Evidence.unavailable(runId, round, accused, step);
    }

    @Override
    public FaultKind faultKind() {
      return FaultKind.UNAVAILABLE;
    }

    @Override
    public String describe() {
      return "unavailable: " + reason;
    }
  }
}
