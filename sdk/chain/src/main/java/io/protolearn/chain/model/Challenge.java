package io.protolearn.chain.model;

import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.dispute.ChallengeStatus;
import io.protolearn.protocol.dispute.FaultKind;
import java.math.BigInteger;

/** A jury dispute (DisputeManager.challengeOf). */
public record Challenge(
    long runId,
    long round,
    String miner,
    String challenger,
    FaultKind kind,
    long step,
    Bytes32 evidenceHash,
    BigInteger bond,
    ChallengeStatus status,
    BigInteger jurorBond,
    int slashBps,
    long voteCommitEnd,
    long voteEnd,
    long guiltyVotes,
    long innocentVotes) {

  public boolean open() {
    return status == ChallengeStatus.OPEN;
  }
}
