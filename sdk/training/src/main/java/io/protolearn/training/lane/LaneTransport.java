package io.protolearn.training.lane;

import java.util.Optional;

/**
 * Moves signed tensors between the members of a lane: activations forward (toStage = fromStage +
 * 1), gradients back. The in-memory implementation serves a single process; a network
 * implementation carries the same messages over HTTP. Receivers verify every message with {@link
 * SignedTensor#problem} before using it.
 */
public interface LaneTransport {

  /** Delivers a message to the lane member of {@code header().toStage()}. */
  void send(SignedTensor message);

  /** The message addressed by these coordinates, if it has arrived; removes it. */
  Optional<SignedTensor> receive(MessageKey key);

  /** Where a message goes: one tensor per (run, round, lane, step, direction). */
  record MessageKey(long runId, long round, int lane, int step, int fromStage, int toStage) {
    public static MessageKey of(SignedTensor m) {
      var h = m.header();
      return new MessageKey(h.runId(), h.round(), h.lane(), h.step(), h.fromStage(), h.toStage());
    }
  }
}
