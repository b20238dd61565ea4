package io.protolearn.training.spec;

import io.protolearn.protocol.crypto.Bytes32;

/**
 * How a run trains (DESIGN.md §2). Inner optimizer: AdamW with decoupled weight decay on matrices,
 * global-norm gradient clipping, constant learning rate, state reset at every round start (so a
 * round's first state is a public function of its base). Outer optimizer: SGD with Nesterov
 * momentum over the mean of the accepted lanes' deltas (DiLoCo). {@code tolerance} is the relative
 * L2 threshold of tolerance-mode verification (non-CPU devices).
 */
public record TrainSpec(
    double innerLr,
    double beta1,
    double beta2,
    double eps,
    double weightDecay,
    double gradClip,
    int innerSteps,
    int microBatch,
    double outerLr,
    double outerMomentum,
    boolean nesterov,
    int checkpointInterval,
    long seed,
    double tolerance,
    ReproProfile profile) {

  public static final double DEFAULT_TOLERANCE = 1e-3;

  public static final TrainSpec DEFAULT =
      new TrainSpec(
          3e-3,
          0.9,
          0.95,
          1e-8,
          0.01,
          1.0,
          20,
          8,
          0.7,
          0.5,
          true,
          5,
          42L,
          DEFAULT_TOLERANCE,
          ReproProfile.CPU_DEFAULT);

  public TrainSpec {
    if (innerSteps <= 0 || microBatch <= 0 || checkpointInterval <= 0) {
      throw new IllegalArgumentException("innerSteps, microBatch, checkpointInterval must be > 0");
    }
  }

  public TrainSpec withSchedule(int newInnerSteps, int newMicroBatch, int newCheckpointInterval) {
    return new TrainSpec(
        innerLr,
        beta1,
        beta2,
        eps,
        weightDecay,
        gradClip,
        newInnerSteps,
        newMicroBatch,
        outerLr,
        outerMomentum,
        nesterov,
        newCheckpointInterval,
        seed,
        tolerance,
        profile);
  }

  public TrainSpec withProfile(ReproProfile newProfile) {
    return new TrainSpec(
        innerLr,
        beta1,
        beta2,
        eps,
        weightDecay,
        gradClip,
        innerSteps,
        microBatch,
        outerLr,
        outerMomentum,
        nesterov,
        checkpointInterval,
        seed,
        tolerance,
        newProfile);
  }

  public TrainSpec withOuter(double newOuterLr, double newOuterMomentum, boolean newNesterov) {
    return new TrainSpec(
        innerLr,
        beta1,
        beta2,
        eps,
        weightDecay,
        gradClip,
        innerSteps,
        microBatch,
        newOuterLr,
        newOuterMomentum,
        newNesterov,
        checkpointInterval,
        seed,
        tolerance,
        profile);
  }

  public Bytes32 hash() {
    return CanonicalJson.sha256(this);
  }
}
