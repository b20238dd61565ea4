package io.protolearn.chain.events;

import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.dispute.FaultKind;
import io.protolearn.protocol.leaf.Commitment;
import java.math.BigInteger;
import java.util.List;

/**
 * A protocol event as the rest of the code sees it: the events nodes and the devnet act on as
 * records, every other one as {@link Other} by name. Each carries the block and transaction it came
 * in.
 */
public sealed interface ChainEvent {
  long block();

  String txHash();

  /** The event's name in the contracts (Committed, ChallengeOpened, ...). */
  default String name() {
    return getClass().getSimpleName();
  }

  /** RunManager: a miner committed its round. */
  record Committed(
      long block, String txHash, long runId, long round, String miner, Commitment commitment)
      implements ChainEvent {}

  /** RunManager: a validator attested a round. */
  record Attested(
      long block,
      String txHash,
      long runId,
      long round,
      String validator,
      Bytes32 receiptsRoot,
      long checks)
      implements ChainEvent {}

  /**
   * DisputeManager: a jury challenge was opened; its jury is drawn ({@link JuryDrawn}) from the
   * hash of {@code drawBlock}, a block after this one.
   */
  record ChallengeOpened(
      long block,
      String txHash,
      long challengeId,
      long runId,
      long round,
      String miner,
      String challenger,
      FaultKind kind,
      long step,
      Bytes32 evidenceHash,
      BigInteger bond,
      long drawBlock)
      implements ChainEvent {}

  /** DisputeManager: a challenge's jury was drawn (draw 1, or 2 after too few reveals). */
  record JuryDrawn(
      long block,
      String txHash,
      long challengeId,
      int draw,
      List<String> jurors,
      long voteCommitEnd,
      long voteEnd)
      implements ChainEvent {}

  /** DisputeManager: too few jurors revealed; a second jury is drawn from {@code drawBlock}. */
  record JuryRedrawDue(long block, String txHash, long challengeId, long revealed, long drawBlock)
      implements ChainEvent {}

  /** DisputeManager: a juror committed its vote. */
  record VoteCommitted(
      long block, String txHash, long challengeId, String juror, Bytes32 commitment)
      implements ChainEvent {}

  /** DisputeManager: a jury challenge was settled. */
  record ChallengeResolved(
      long block,
      String txHash,
      long challengeId,
      boolean guilty,
      long guiltyVotes,
      long innocentVotes,
      BigInteger slashed)
      implements ChainEvent {}

  /** DisputeManager: a fraud was proven on chain and the miner slashed at once. */
  record FraudProven(
      long block,
      String txHash,
      long runId,
      long round,
      String miner,
      FaultKind kind,
      String prover,
      Bytes32 evidenceHash,
      BigInteger slashed)
      implements ChainEvent {}

  /** StakeManager: stake was slashed for the evidence. */
  record Slashed(
      long block,
      String txHash,
      long runId,
      String account,
      Bytes32 evidenceHash,
      BigInteger amount)
      implements ChainEvent {}

  /** Any other event of the protocol's contracts, by name. */
  record Other(long block, String txHash, String name) implements ChainEvent {}
}
