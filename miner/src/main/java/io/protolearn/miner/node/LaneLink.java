package io.protolearn.miner.node;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.training.lane.LaneRunner.LaneFailure;
import io.protolearn.training.lane.LaneTransport.MessageKey;
import io.protolearn.training.lane.SignedTensor;

/** How one stage's runner exchanges signed tensors with its lane peers (HTTP in a node). */
interface LaneLink {

  /**
   * Delivers the message to {@code to}; throws {@link LaneFailure} if the peer does not take it.
   */
  void send(SignedTensor message, Address to);

  /**
   * The message for {@code key}, checked against its signed hash and its sender {@code from};
   * throws {@link LaneFailure} when it does not come in time or is refused.
   */
  SignedTensor await(MessageKey key, Address from);
}
