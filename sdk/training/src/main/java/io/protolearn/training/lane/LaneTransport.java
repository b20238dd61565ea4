package io.protolearn.training.lane;

import io.protolearn.protocol.crypto.Address;

/**
 * How a stage exchanges signed tensors with its lane peers: activations forward, gradients back
 * (DESIGN.md §3). {@link InMemoryLaneTransport} carries them inside one process (tests, benches);
 * the miner node carries them over HTTP. A transport only delivers: the stage's runner checks every
 * message it takes with {@link SignedTensor#problem} before using it.
 */
public interface LaneTransport {

  /**
   * Delivers the message to the lane member {@code to} (of stage {@code header().toStage()});
   * throws {@link LaneFailure} if the peer does not take it.
   */
  void send(SignedTensor message, Address to);

  /**
   * The message for {@code key}, sent by the lane member {@code from}; removes it. Throws {@link
   * LaneFailure} when it does not come in time or the round must stop.
   */
  SignedTensor await(MessageKey key, Address from);

  /** Where a message goes: one tensor per (run, round, lane, step, direction). */
  record MessageKey(long runId, long round, int lane, int step, int fromStage, int toStage) {
    public static MessageKey of(SignedTensor m) {
      var h = m.header();
      return new MessageKey(h.runId(), h.round(), h.lane(), h.step(), h.fromStage(), h.toStage());
    }
  }
}
