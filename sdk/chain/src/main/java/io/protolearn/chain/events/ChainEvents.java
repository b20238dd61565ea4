package io.protolearn.chain.events;

import io.protolearn.chain.contracts.DisputeManager;
import io.protolearn.chain.contracts.RunManager;
import io.protolearn.chain.contracts.StakeManager;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.dispute.FaultKind;
import io.protolearn.protocol.leaf.Commitment;
import java.math.BigInteger;
import java.util.List;
import org.web3j.protocol.core.methods.response.BaseEventResponse;

/** The generated wrappers' event responses as {@link ChainEvent}s. */
public final class ChainEvents {
  private ChainEvents() {}

  public static ChainEvent of(BaseEventResponse e) {
    long block = e.log.getBlockNumber() == null ? -1 : e.log.getBlockNumber().longValueExact();
    String tx = e.log.getTransactionHash();
    if (e instanceof RunManager.CommittedEventResponse c) {
      return new ChainEvent.Committed(
          block,
          tx,
          n(c.runId),
          n(c.round),
          c.miner,
          new Commitment(
              new Bytes32(c.root),
              n(c.stepCount),
              new Bytes32(c.deltaHash),
              new Bytes32(c.baseHash)));
    } else if (e instanceof RunManager.AttestedEventResponse a) {
      return new ChainEvent.Attested(
          block, tx, n(a.runId), n(a.round), a.validator, new Bytes32(a.receiptsRoot), n(a.checks));
    } else if (e instanceof DisputeManager.ChallengeOpenedEventResponse o) {
      return new ChainEvent.ChallengeOpened(
          block,
          tx,
          n(o.challengeId),
          n(o.runId),
          n(o.round),
          o.miner,
          o.challenger,
          FaultKind.ofChallenge(n(o.kind)),
          n(o.step),
          new Bytes32(o.evidenceHash),
          o.bond,
          n(o.drawBlock));
    } else if (e instanceof DisputeManager.JuryDrawnEventResponse j) {
      return new ChainEvent.JuryDrawn(
          block,
          tx,
          n(j.challengeId),
          Math.toIntExact(n(j.draw)),
          List.copyOf(j.jurors),
          n(j.voteCommitEnd),
          n(j.voteEnd));
    } else if (e instanceof DisputeManager.JuryRedrawDueEventResponse d) {
      return new ChainEvent.JuryRedrawDue(
          block, tx, n(d.challengeId), n(d.revealed), n(d.drawBlock));
    } else if (e instanceof DisputeManager.VoteCommittedEventResponse v) {
      return new ChainEvent.VoteCommitted(
          block, tx, n(v.challengeId), v.juror, new Bytes32(v.commitment));
    } else if (e instanceof DisputeManager.ChallengeResolvedEventResponse r) {
      return new ChainEvent.ChallengeResolved(
          block, tx, n(r.challengeId), r.guilty, n(r.guiltyVotes), n(r.innocentVotes), r.slashed);
    } else if (e instanceof DisputeManager.FraudProvenEventResponse f) {
      return new ChainEvent.FraudProven(
          block,
          tx,
          n(f.runId),
          n(f.round),
          f.miner,
          FaultKind.ofFraud(n(f.kind)),
          f.prover,
          new Bytes32(f.evidenceHash),
          f.slashed);
    } else if (e instanceof StakeManager.SlashedEventResponse s) {
      return new ChainEvent.Slashed(
          block, tx, n(s.runId), s.account, new Bytes32(s.evidenceHash), s.amount);
    }
    return new ChainEvent.Other(
        block, tx, e.getClass().getSimpleName().replace("EventResponse", ""));
  }

  private static long n(BigInteger v) {
    return v.longValueExact();
  }
}
