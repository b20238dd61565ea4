package io.protolearn.chain.client;

import io.protolearn.chain.contracts.DisputeManager;
import io.protolearn.chain.contracts.RunManager;
import io.protolearn.chain.contracts.StakeManager;
import io.protolearn.chain.model.AttestationInfo;
import io.protolearn.chain.model.Ballot;
import io.protolearn.chain.model.Challenge;
import io.protolearn.chain.model.CommitmentInfo;
import io.protolearn.chain.model.Member;
import io.protolearn.chain.model.RoundInfo;
import io.protolearn.chain.model.RunInfo;
import io.protolearn.chain.model.RunSpec;
import io.protolearn.chain.model.StakeAccount;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.dispute.ChallengeStatus;
import io.protolearn.protocol.dispute.FaultKind;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.protocol.round.RoundClock;
import io.protolearn.protocol.run.MemberRole;
import java.math.BigInteger;
import java.util.List;

/**
 * Conversions between the project's values and the generated wrappers' structs, which stay inside
 * this module.
 */
final class Convert {
  private Convert() {}

  static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  static DisputeManager.StepLeaf leaf(StepLeaf l) {
    return new DisputeManager.StepLeaf(
        big(l.runId()),
        big(l.round()),
        l.miner().toHex(),
        big(l.stage()),
        big(l.lane()),
        big(l.step()),
        l.paramsBeforeHash().bytes(),
        l.optStateBeforeHash().bytes(),
        l.inputHash().bytes(),
        l.upstreamGradHash().bytes(),
        l.outputHash().bytes(),
        l.inputGradHash().bytes(),
        l.paramGradHash().bytes(),
        l.paramsAfterHash().bytes());
  }

  static DisputeManager.Commitment disputeCommitment(Commitment c) {
    return new DisputeManager.Commitment(
        c.root().bytes(), big(c.stepCount()), c.deltaHash().bytes(), c.baseHash().bytes());
  }

  static RunManager.Commitment runCommitment(Commitment c) {
    return new RunManager.Commitment(
        c.root().bytes(), big(c.stepCount()), c.deltaHash().bytes(), c.baseHash().bytes());
  }

  static DisputeManager.TensorMessage message(TensorMessage m) {
    return new DisputeManager.TensorMessage(
        big(m.runId()),
        big(m.round()),
        big(m.lane()),
        big(m.step()),
        big(m.fromStage()),
        big(m.toStage()),
        m.tensorHash().bytes());
  }

  static List<byte[]> proof(List<Bytes32> proof) {
    return proof.stream().map(Bytes32::bytes).toList();
  }

  static long n(BigInteger v) {
    return v.longValueExact();
  }

  static int i(BigInteger v) {
    return v.intValueExact();
  }

  static RoundClock clock(RunManager.RoundClock c) {
    return new RoundClock(
        n(c.round),
        n(c.start),
        n(c.commitDeadline),
        n(c.seedBlock),
        n(c.checkEnd),
        n(c.voteCommitEnd),
        n(c.voteEnd));
  }

  static Member member(RunManager.Member m) {
    return new Member(
        MemberRole.of(n(m.role)), i(m.stage), n(m.fromRound), n(m.untilRound), m.endpoint);
  }

  static RunInfo runInfo(RunManager.RunInfo r) {
    return new RunInfo(
        r.shares,
        r.governance,
        r.creator,
        i(r.stageCount),
        n(r.maxStepsPerRound),
        r.paused,
        r.halted,
        n(r.haltedFromRound),
        n(r.paramsVersions));
  }

  static RunSpec runSpec(RunManager.RunSpec s) {
    return new RunSpec(
        new Bytes32(s.modelSpecHash),
        new Bytes32(s.dataSpecHash),
        new Bytes32(s.trainSpecHash),
        new Bytes32(s.dataRoot),
        new Bytes32(s.initialCheckpointHash),
        i(s.stageCount),
        n(s.maxStepsPerRound),
        n(s.startBlock));
  }

  static RoundInfo roundInfo(RunManager.RoundInfo r) {
    return new RoundInfo(
        new Bytes32(r.seed),
        n(r.acceptedSteps),
        n(r.attesters),
        n(r.openDisputes),
        r.finalized,
        r.sharesPerRound,
        i(r.validatorShareBps));
  }

  static CommitmentInfo commitmentInfo(RunManager.CommitmentInfo c) {
    return new CommitmentInfo(c.committed, i(c.stage), n(c.stepCount), c.convicted, c.claimed);
  }

  static AttestationInfo attestationInfo(RunManager.AttestationInfo a) {
    return new AttestationInfo(new Bytes32(a.receiptsRoot), n(a.checks), a.attested, a.claimed);
  }

  static Challenge challenge(DisputeManager.Challenge c) {
    return new Challenge(
        n(c.runId),
        n(c.round),
        c.miner,
        c.challenger,
        FaultKind.ofChallenge(n(c.kind)),
        n(c.step),
        new Bytes32(c.evidenceHash),
        c.bond,
        ChallengeStatus.of(n(c.status)),
        c.jurorBond,
        i(c.slashBps),
        n(c.voteCommitEnd),
        n(c.voteEnd),
        n(c.guiltyVotes),
        n(c.innocentVotes),
        n(c.drawBlock),
        i(c.draws),
        i(c.seats));
  }

  static Ballot ballot(DisputeManager.Ballot b) {
    return new Ballot(b.drawn, new Bytes32(b.commitment), b.revealed, b.guilty);
  }

  static StakeAccount stakeAccount(StakeManager.StakeAccount a) {
    return new StakeAccount(
        a.staked, a.unbonding, n(a.releaseBlock), n(a.locks), a.required, a.deposited, a.slashed);
  }
}
