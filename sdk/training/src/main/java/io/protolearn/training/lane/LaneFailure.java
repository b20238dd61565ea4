package io.protolearn.training.lane;

/**
 * A lane cannot go on: a peer's message is missing, late or refused, or the round must stop. The
 * stage's runner ends the round with the steps done so far.
 */
public final class LaneFailure extends RuntimeException {
  public LaneFailure(String message) {
    super(message);
  }
}
