package io.protolearn.training.verify;

/**
 * The outcome of checking a step (DESIGN.md §5), a value and never an exception: MATCH; MISMATCH
 * naming the first differing field and the step where it differs (with the relative L2 distance in
 * tolerance mode, NaN in exact mode); or MALFORMED when the evidence itself is unusable.
 */
public record VerificationResult(
    Outcome outcome, Field field, int step, String reason, double distance) {

  public enum Outcome {
    MATCH,
    MISMATCH,
    MALFORMED
  }

  /** What differed: the leaf's hashes in leaf order, then the senders' signatures. */
  public enum Field {
    PARAMS_BEFORE,
    OPT_STATE_BEFORE,
    INPUT,
    UPSTREAM_GRAD,
    OUTPUT,
    INPUT_GRAD,
    PARAM_GRAD,
    PARAMS_AFTER,
    INPUT_SIGNATURE,
    UPSTREAM_SIGNATURE
  }

  public static VerificationResult match() {
    return new VerificationResult(Outcome.MATCH, null, -1, "", Double.NaN);
  }

  public static VerificationResult mismatch(Field field, int step) {
    return new VerificationResult(
        Outcome.MISMATCH, field, step, field + " differs at step " + step, Double.NaN);
  }

  public static VerificationResult mismatch(Field field, int step, double distance) {
    return new VerificationResult(
        Outcome.MISMATCH,
        field,
        step,
        field + " differs at step " + step + " by " + distance,
        distance);
  }

  public static VerificationResult malformed(String reason) {
    return new VerificationResult(Outcome.MALFORMED, null, -1, reason, Double.NaN);
  }

  public boolean isMatch() {
    return outcome == Outcome.MATCH;
  }
}
