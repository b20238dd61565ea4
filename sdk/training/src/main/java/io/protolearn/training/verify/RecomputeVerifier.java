package io.protolearn.training.verify;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.data.Batch;
import io.protolearn.training.data.Corpus;
import io.protolearn.training.model.ParamLayout;
import io.protolearn.training.model.StageState;
import io.protolearn.training.model.StageTrainer;
import io.protolearn.training.model.StepOutputs;
import io.protolearn.training.spec.TrainSpec;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import io.protolearn.training.verify.VerificationResult.Field;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Recomputes a sampled step from the nearest checkpoint with the shared training code and compares
 * every intermediate hash (DESIGN.md §5). Exact mode (CPU profile) compares hashes; tolerance mode
 * checks the miner's served tensors against their hashes and compares them with the recomputed ones
 * by relative L2 distance under the run's threshold, chaining from the served parameters.
 */
public final class RecomputeVerifier {
  private final StageTrainer trainer;
  private final TrainSpec trainSpec;
  private final Corpus corpus;

  /**
   * @param corpus the run's corpus to rebuild stage 0's tokens and the last stage's labels, or null
   *     to trust their hashes in the leaf
   */
  public RecomputeVerifier(StageTrainer trainer, TrainSpec trainSpec, Corpus corpus) {
    this.trainer = trainer;
    this.trainSpec = trainSpec;
    this.corpus = corpus;
  }

  public VerificationResult verify(StepEvidence e) {
    Optional<String> malformed = structure(e);
    if (malformed.isPresent()) {
      return VerificationResult.malformed(malformed.get());
    }
    boolean exact = trainSpec.profile().exact();
    StageState state = e.checkpoint();
    for (StepEvidence.StepRecord r : e.steps()) {
      StepLeaf leaf = r.leaf();
      int k = leaf.step();
      boolean atCheckpoint = k == e.checkpointStep();
      Optional<VerificationResult> before = checkBefore(e, r, state, exact || atCheckpoint);
      if (before.isPresent()) {
        return before.get();
      }
      StepOutputs o;
      try {
        o = trainer.step(state, r.input(), r.upstream());
      } catch (io.protolearn.training.model.AdamW.NonFiniteGradientException nonFinite) {
        return VerificationResult.mismatch(Field.PARAM_GRAD, k);
      }
      if (exact) {
        Optional<VerificationResult> after = compareExact(leaf, o);
        if (after.isPresent()) {
          return after.get();
        }
        state = o.after();
      } else {
        Optional<VerificationResult> after = compareTolerant(leaf, o, r.served());
        if (after.isPresent()) {
          return after.get();
        }
        StageState recomputed = o.after();
        state =
            new StageState(
                recomputed.optStep(), r.served().paramsAfter(), recomputed.m(), recomputed.v());
      }
    }
    return VerificationResult.match();
  }

  private Optional<VerificationResult> checkBefore(
      StepEvidence e, StepEvidence.StepRecord r, StageState state, boolean checkOptState) {
    StepLeaf leaf = r.leaf();
    int k = leaf.step();
    StepEvidence.Commitment c = e.commitment();
    if (!state.paramsHash().equals(leaf.paramsBeforeHash())
        || (k == 0 && !leaf.paramsBeforeHash().equals(c.baseHash()))) {
      return mismatch(Field.PARAMS_BEFORE, k);
    }
    if (checkOptState && !state.optStateHash().equals(leaf.optStateBeforeHash())) {
      return mismatch(Field.OPT_STATE_BEFORE, k);
    }
    int seq = trainer.modelSpec().contextLength();
    Batch batch =
        corpus == null
            ? null
            : corpus.batch(
                c.runId(),
                c.round(),
                c.lane(),
                c.laneStage0Miner(),
                k,
                trainSpec.microBatch(),
                seq);
    if (!TensorCodec.hash(r.input()).equals(leaf.inputHash())
        || (batch != null && c.stage() == 0 && !batch.inputs().sameAs(r.input()))) {
      return mismatch(Field.INPUT, k);
    }
    if (!TensorCodec.hash(r.upstream()).equals(leaf.upstreamGradHash())
        || (batch != null && c.nextMiner() == null && !batch.labels().sameAs(r.upstream()))) {
      return mismatch(Field.UPSTREAM_GRAD, k);
    }
    if (c.previousMiner() != null
        && !signedBy(
            c,
            k,
            c.stage() - 1,
            c.stage(),
            leaf.inputHash(),
            r.inputSignature(),
            c.previousMiner())) {
      return mismatch(Field.INPUT_SIGNATURE, k);
    }
    if (c.nextMiner() != null
        && !signedBy(
            c,
            k,
            c.stage() + 1,
            c.stage(),
            leaf.upstreamGradHash(),
            r.upstreamSignature(),
            c.nextMiner())) {
      return mismatch(Field.UPSTREAM_SIGNATURE, k);
    }
    return Optional.empty();
  }

  private static boolean signedBy(
      StepEvidence.Commitment c,
      int step,
      int from,
      int to,
      Bytes32 hash,
      byte[] sig,
      Address who) {
    if (sig == null) {
      return false;
    }
    TensorMessage m = new TensorMessage(c.runId(), c.round(), c.lane(), step, from, to, hash);
    return m.recoverSigner(c.domain(), sig).filter(who::equals).isPresent();
  }

  private static Optional<VerificationResult> compareExact(StepLeaf leaf, StepOutputs o) {
    int k = leaf.step();
    if (!o.outputHash().equals(leaf.outputHash())) {
      return mismatch(Field.OUTPUT, k);
    }
    if (!o.inputGradHash().equals(leaf.inputGradHash())) {
      return mismatch(Field.INPUT_GRAD, k);
    }
    if (!o.paramGradHash().equals(leaf.paramGradHash())) {
      return mismatch(Field.PARAM_GRAD, k);
    }
    if (!o.after().paramsHash().equals(leaf.paramsAfterHash())) {
      return mismatch(Field.PARAMS_AFTER, k);
    }
    return Optional.empty();
  }

  private Optional<VerificationResult> compareTolerant(
      StepLeaf leaf, StepOutputs o, StepEvidence.Served s) {
    int k = leaf.step();
    if (!TensorCodec.hash(s.output()).equals(leaf.outputHash())
        || !(s.inputGrad() == null
            ? leaf.inputGradHash().equals(Bytes32.ZERO)
            : TensorCodec.hash(s.inputGrad()).equals(leaf.inputGradHash()))
        || !TensorCodec.hashList(s.paramGrads()).equals(leaf.paramGradHash())
        || !TensorCodec.hashList(s.paramsAfter()).equals(leaf.paramsAfterHash())) {
      return Optional.of(
          VerificationResult.malformed("served tensors of step " + k + " do not match the leaf"));
    }
    double tau = trainSpec.tolerance();
    double d = relL2(List.of(o.output()), List.of(s.output()));
    if (!(d <= tau)) {
      return Optional.of(VerificationResult.mismatch(Field.OUTPUT, k, d));
    }
    if (s.inputGrad() != null) {
      d = relL2(List.of(o.inputGrad()), List.of(s.inputGrad()));
      if (!(d <= tau)) {
        return Optional.of(VerificationResult.mismatch(Field.INPUT_GRAD, k, d));
      }
    }
    d = relL2(o.paramGrads(), s.paramGrads());
    if (!(d <= tau)) {
      return Optional.of(VerificationResult.mismatch(Field.PARAM_GRAD, k, d));
    }
    d = relL2(o.after().params(), s.paramsAfter());
    if (!(d <= tau)) {
      return Optional.of(VerificationResult.mismatch(Field.PARAMS_AFTER, k, d));
    }
    return Optional.empty();
  }

  /** ‖a − b‖₂ / ‖b‖₂ over the concatenation of the lists (in double); ∞ on a shape difference. */
  public static double relL2(List<HostTensor> a, List<HostTensor> b) {
    if (a.size() != b.size()) {
      return Double.POSITIVE_INFINITY;
    }
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < a.size(); i++) {
      float[] x = a.get(i).floats();
      float[] y = b.get(i).floats();
      if (!Arrays.equals(a.get(i).shape(), b.get(i).shape())) {
        return Double.POSITIVE_INFINITY;
      }
      for (int j = 0; j < x.length; j++) {
        double dd = (double) x[j] - y[j];
        diff += dd * dd;
        norm += (double) y[j] * y[j];
      }
    }
    return norm == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(diff / norm);
  }

  private Optional<String> structure(StepEvidence e) {
    StepEvidence.Commitment c = e.commitment();
    ParamLayout layout = trainer.layout();
    if (c.stage() != layout.stage()) {
      return Optional.of(
          "evidence is for stage " + c.stage() + ", verifier runs " + layout.stage());
    }
    if (e.steps().isEmpty() || e.checkpoint() == null || !e.checkpoint().fits(layout)) {
      return Optional.of("checkpoint does not fit the stage's parameter layout");
    }
    if (e.checkpointStep() % trainSpec.checkpointInterval() != 0) {
      return Optional.of("checkpoint step " + e.checkpointStep() + " is not a checkpoint step");
    }
    // the nearest checkpoint only (DESIGN §5 v2): evidence from an earlier one is valid training
    // but costs the checker up to innerSteps recomputes instead of checkpointInterval, enough to
    // push a lazy miner's checks past the window unfinished, where no fault is filed
    int target = e.steps().get(e.steps().size() - 1).leaf().step();
    int nearest = target - Math.floorMod(target, trainSpec.checkpointInterval());
    if (e.checkpointStep() != nearest) {
      return Optional.of(
          "evidence for step "
              + target
              + " starts at checkpoint "
              + e.checkpointStep()
              + ", not at the nearest one, "
              + nearest);
    }
    if ((c.previousMiner() == null) != (c.stage() == 0)
        || (c.nextMiner() == null) != (c.stage() == trainer.modelSpec().stages() - 1)) {
      return Optional.of("lane peers do not match the stage");
    }
    int expected = e.checkpointStep();
    for (StepEvidence.StepRecord r : e.steps()) {
      StepLeaf l = r.leaf();
      if (l.step() != expected++) {
        return Optional.of("leaves are not consecutive from the checkpoint at step " + l.step());
      }
      if (l.runId() != c.runId()
          || l.round() != c.round()
          || !l.miner().equals(c.miner())
          || l.stage() != c.stage()
          || l.lane() != c.lane()) {
        return Optional.of("leaf of step " + l.step() + " does not match the commitment");
      }
      if (!RoundTree.verify(l, r.proof(), c.root())) {
        return Optional.of("leaf of step " + l.step() + " is not in the committed root");
      }
      Optional<String> shapes = shapes(r, c);
      if (shapes.isPresent()) {
        return shapes;
      }
      if (!trainSpec.profile().exact() && r.served() == null) {
        return Optional.of("tolerance mode needs the served tensors of step " + l.step());
      }
    }
    return Optional.empty();
  }

  private Optional<String> shapes(StepEvidence.StepRecord r, StepEvidence.Commitment c) {
    long b = trainSpec.microBatch();
    long t = trainer.modelSpec().contextLength();
    long d = trainer.modelSpec().dModel();
    long[] tokens = {b, t};
    long[] acts = {b, t, d};
    boolean first = c.stage() == 0;
    boolean last = c.nextMiner() == null;
    if (!fits(
        r.input(),
        first ? HostTensor.DType.INT32 : HostTensor.DType.FLOAT32,
        first ? tokens : acts)) {
      return Optional.of("input of step " + r.leaf().step() + " has the wrong dtype or shape");
    }
    if (!fits(
        r.upstream(),
        last ? HostTensor.DType.INT32 : HostTensor.DType.FLOAT32,
        last ? tokens : acts)) {
      return Optional.of(
          "upstream gradient of step " + r.leaf().step() + " has the wrong dtype or shape");
    }
    if (first || last) {
      int[] ids = first ? r.input().ints() : r.upstream().ints();
      if (Arrays.stream(ids).anyMatch(id -> id < 0 || id >= trainer.modelSpec().vocabSize())) {
        return Optional.of("token out of vocabulary at step " + r.leaf().step());
      }
    }
    return Optional.empty();
  }

  private static boolean fits(HostTensor t, HostTensor.DType dtype, long[] shape) {
    return t != null && t.dtype() == dtype && Arrays.equals(t.shape(), shape);
  }

  private static Optional<VerificationResult> mismatch(Field field, int step) {
    return Optional.of(VerificationResult.mismatch(field, step));
  }
}
