package io.protolearn.training.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.Fixtures;
import io.protolearn.training.lane.RoundRunner;
import io.protolearn.training.lane.StageRoundResult;
import io.protolearn.training.model.StageState;
import io.protolearn.training.model.StageTrainer;
import io.protolearn.training.spec.ReproProfile;
import io.protolearn.training.spec.TrainSpec;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.verify.VerificationResult.Field;
import io.protolearn.training.verify.VerificationResult.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecomputeVerifierTest {
  private static final int STEP = 3;
  private static RoundRunner runner;
  private static List<StageRoundResult> lane;
  private static StageTrainer stage0;
  private static StageTrainer stage1;

  @BeforeAll
  static void trainOneRound() {
    runner = Fixtures.runner(Fixtures.TINY, Fixtures.TRAIN, 1);
    lane = runner.runRound(0, Set.of()).lanes().get(0);
    stage0 = runner.trainers().get(0);
    stage1 = runner.trainers().get(1);
  }

  @AfterAll
  static void close() {
    runner.close();
  }

  private static StepEvidence evidence(int stage) {
    return EvidenceBuilder.forStep(lane, stage, STEP, Fixtures.RUN_ID, 0, Fixtures.DOMAIN, null);
  }

  private static VerificationResult verify(int stage, StepEvidence e) {
    StageTrainer trainer = stage == 0 ? stage0 : stage1;
    return new RecomputeVerifier(trainer, Fixtures.TRAIN, Fixtures.CORPUS).verify(e);
  }

  @Test
  void shouldMatchHonestStepsOfEveryStage() {
    assertThat(verify(0, evidence(0)).outcome()).isEqualTo(Outcome.MATCH);
    assertThat(verify(1, evidence(1)).outcome()).isEqualTo(Outcome.MATCH);
  }

  @Test
  void shouldReportMismatchWhenParamsTampered() {
    StepEvidence e = evidence(1);
    StageState cp = e.checkpoint();
    List<HostTensor> params = new ArrayList<>(cp.params());
    params.set(2, params.get(2).withChangedValue(5));
    StageState tampered = new StageState(cp.optStep(), params, cp.m(), cp.v());
    assertThat(verify(1, e.withCheckpoint(tampered)))
        .isEqualTo(VerificationResult.mismatch(Field.PARAMS_BEFORE, 2));
  }

  @Test
  void shouldReportMismatchWhenOptimizerStateTampered() {
    StepEvidence e = evidence(0);
    StageState cp = e.checkpoint();
    List<HostTensor> m = new ArrayList<>(cp.m());
    m.set(0, m.get(0).withChangedValue(0));
    assertThat(verify(0, e.withCheckpoint(new StageState(cp.optStep(), cp.params(), m, cp.v()))))
        .isEqualTo(VerificationResult.mismatch(Field.OPT_STATE_BEFORE, 2));
    StageState wrongStep = new StageState(cp.optStep() + 1, cp.params(), cp.m(), cp.v());
    assertThat(verify(0, e.withCheckpoint(wrongStep)).field()).isEqualTo(Field.OPT_STATE_BEFORE);
  }

  @Test
  void shouldReportMismatchWhenInputTampered() {
    StepEvidence e = evidence(1);
    StepEvidence.StepRecord r = e.steps().get(1);
    StepEvidence tampered = e.withStep(1, r.withInput(r.input().withChangedValue(7)));
    assertThat(verify(1, tampered)).isEqualTo(VerificationResult.mismatch(Field.INPUT, STEP));
  }

  @Test
  void shouldReportMismatchWhenTokensAreNotTheLanesBatch() {
    StepEvidence e = evidence(0);
    StepEvidence.StepRecord r = e.steps().get(0);
    HostTensor otherTokens = r.input().withChangedValue(3);
    StepLeaf leaf = withHashes(r.leaf(), 8, hash(otherTokens));
    StepEvidence tampered =
        rebuild(e, 0, leaf).withStep(0, rebuild(e, 0, leaf).steps().get(0).withInput(otherTokens));
    assertThat(verify(0, tampered)).isEqualTo(VerificationResult.mismatch(Field.INPUT, 2));
  }

  @Test
  void shouldReportMismatchWhenUpstreamGradientTampered() {
    StepEvidence e = evidence(0);
    StepEvidence.StepRecord r = e.steps().get(1);
    StepEvidence tampered = e.withStep(1, r.withUpstream(r.upstream().withChangedValue(11)));
    assertThat(verify(0, tampered))
        .isEqualTo(VerificationResult.mismatch(Field.UPSTREAM_GRAD, STEP));
  }

  @Test
  void shouldReportMismatchWhenUpstreamGradientIsNotSignedByTheNextMember() {
    StepEvidence e = evidence(0);
    StepEvidence.StepRecord r = e.steps().get(1);
    byte[] forged =
        new io.protolearn.protocol.crypto.TensorMessage(
                Fixtures.RUN_ID, 0, 0, STEP, 1, 0, r.leaf().upstreamGradHash())
            .sign(Fixtures.DOMAIN, Fixtures.key(99));
    StepEvidence.StepRecord f =
        new StepEvidence.StepRecord(
            r.leaf(), r.proof(), r.input(), r.upstream(), null, forged, null);
    assertThat(verify(0, e.withStep(1, f)))
        .isEqualTo(VerificationResult.mismatch(Field.UPSTREAM_SIGNATURE, STEP));
  }

  @Test
  void shouldReportMismatchNamingEachLeafHashAMinerFaked() {
    String[] names = {"OUTPUT", "INPUT_GRAD", "PARAM_GRAD", "PARAMS_AFTER"};
    for (int i = 0; i < names.length; i++) {
      StepEvidence e = evidence(1);
      StepLeaf faked =
          withHashes(e.steps().get(1).leaf(), 10 + i, Bytes32.fromHex("0x" + "ab".repeat(32)));
      assertThat(verify(1, rebuild(e, 1, faked)))
          .isEqualTo(VerificationResult.mismatch(Field.valueOf(names[i]), STEP));
    }
  }

  @Test
  void shouldReportMalformedWhenALeafIsNotInTheCommittedRoot() {
    StepEvidence e = evidence(1);
    StepEvidence.StepRecord r = e.steps().get(1);
    StepLeaf faked = withHashes(r.leaf(), 12, Bytes32.ZERO);
    VerificationResult result = verify(1, e.withStep(1, r.withLeaf(faked, r.proof())));
    assertThat(result.outcome()).isEqualTo(Outcome.MALFORMED);
    assertThat(result.reason()).contains("step 3").contains("root");
  }

  @Test
  void shouldReportMalformedWhenALeafNamesAnotherMiner() {
    StepEvidence e = evidence(1);
    StepLeaf l = e.steps().get(1).leaf();
    StepLeaf other =
        new StepLeaf(
            l.runId(),
            l.round(),
            Fixtures.key(42).address(),
            l.stage(),
            l.lane(),
            l.step(),
            l.paramsBeforeHash(),
            l.optStateBeforeHash(),
            l.inputHash(),
            l.upstreamGradHash(),
            l.outputHash(),
            l.inputGradHash(),
            l.paramGradHash(),
            l.paramsAfterHash());
    VerificationResult result = verify(1, rebuild(e, 1, other));
    assertThat(result.outcome()).isEqualTo(Outcome.MALFORMED);
    assertThat(result.reason()).contains("does not match the commitment");
  }

  @Test
  void shouldReportMalformedWhenTheEvidenceStartsBeforeTheNearestCheckpoint() {
    // honest steps 0..3 served from checkpoint 0 for step 3, whose nearest checkpoint is 2: before
    // v2 this recomputed (and matched) at twice the cost, and at innerSteps/checkpointInterval
    // times the cost a lazy miner's checks ran past the window unfinished, where nothing is filed
    StepEvidence early =
        EvidenceBuilder.forStep(lane, 1, 1, Fixtures.RUN_ID, 0, Fixtures.DOMAIN, null);
    StepEvidence late = evidence(1);
    List<StepEvidence.StepRecord> all = new ArrayList<>(early.steps());
    all.addAll(late.steps());
    StepEvidence far =
        new StepEvidence(late.commitment(), early.checkpointStep(), early.checkpoint(), all);
    assertThat(far.checkpointStep()).isZero();
    VerificationResult result = verify(1, far);
    assertThat(result.outcome()).isEqualTo(Outcome.MALFORMED);
    assertThat(result.reason()).contains("not at the nearest one, 2");
  }

  @Test
  void shouldReportMalformedWhenAnInputHasTheWrongShape() {
    StepEvidence e = evidence(1);
    StepEvidence.StepRecord r = e.steps().get(0);
    HostTensor flat = HostTensor.of(r.input().floats(), r.input().size());
    VerificationResult result = verify(1, e.withStep(0, r.withInput(flat)));
    assertThat(result.outcome()).isEqualTo(Outcome.MALFORMED);
    assertThat(result.reason()).contains("input of step 2");
  }

  @Test
  void shouldMatchInToleranceModeAndFlagAServedTensorBeyondTheThreshold() {
    TrainSpec tolerant =
        Fixtures.TRAIN.withProfile(Fixtures.TRAIN.profile().withDevice(ReproProfile.CPU_TOLERANT));
    StepEvidence e =
        EvidenceBuilder.forStep(lane, 1, STEP, Fixtures.RUN_ID, 0, Fixtures.DOMAIN, stage1);
    RecomputeVerifier verifier = new RecomputeVerifier(stage1, tolerant, Fixtures.CORPUS);
    assertThat(verifier.verify(e).outcome()).isEqualTo(Outcome.MATCH);

    StepEvidence.StepRecord r = e.steps().get(1);
    List<HostTensor> after = new ArrayList<>(r.served().paramsAfter());
    after.set(2, scaled(after.get(2), 1.01f));
    StepEvidence.Served served =
        new StepEvidence.Served(
            r.served().output(), r.served().inputGrad(), r.served().paramGrads(), after);
    StepLeaf leaf =
        withHashes(r.leaf(), 13, io.protolearn.training.tensor.TensorCodec.hashList(after));
    StepEvidence rebuilt = rebuild(e, 1, leaf);
    StepEvidence.StepRecord rr = rebuilt.steps().get(1);
    StepEvidence tampered =
        rebuilt.withStep(
            1,
            new StepEvidence.StepRecord(
                rr.leaf(),
                rr.proof(),
                rr.input(),
                rr.upstream(),
                rr.inputSignature(),
                rr.upstreamSignature(),
                served));
    VerificationResult result = verifier.verify(tampered);
    assertThat(result.outcome()).isEqualTo(Outcome.MISMATCH);
    assertThat(result.field()).isEqualTo(Field.PARAMS_AFTER);
    assertThat(result.distance()).isGreaterThan(tolerant.tolerance());
  }

  private static HostTensor scaled(HostTensor t, float factor) {
    float[] v = t.floats().clone();
    for (int i = 0; i < v.length; i++) {
      v[i] *= factor;
    }
    return HostTensor.of(v, t.shape());
  }

  private static Bytes32 hash(HostTensor t) {
    return io.protolearn.training.tensor.TensorCodec.hash(t);
  }

  static StepLeaf withHashes(StepLeaf l, int word, Bytes32 value) {
    return Tampered.withHashes(l, word, value);
  }

  /** A fraudulent miner's evidence: the leaf replaced and the tree rebuilt and recommitted. */
  static StepEvidence rebuild(StepEvidence e, int index, StepLeaf leaf) {
    List<StepLeaf> leaves = new ArrayList<>(lane.get(e.commitment().stage()).tree().leaves());
    leaves.set(leaf.step(), leaf);
    return Tampered.recommitted(e, RoundTree.of(leaves));
  }
}
