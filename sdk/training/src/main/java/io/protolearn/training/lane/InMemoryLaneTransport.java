package io.protolearn.training.lane;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link LaneTransport} inside one process: a map from message key to message. */
public final class InMemoryLaneTransport implements LaneTransport {
  private final Map<MessageKey, SignedTensor> inbox = new ConcurrentHashMap<>();

  @Override
  public void send(SignedTensor message) {
    inbox.put(MessageKey.of(message), message);
  }

  @Override
  public Optional<SignedTensor> receive(MessageKey key) {
    return Optional.ofNullable(inbox.remove(key));
  }

  /** Replaces a message in flight (adversary and tamper tests). */
  public void replace(SignedTensor message) {
    inbox.put(MessageKey.of(message), message);
  }

  public int pending() {
    return inbox.size();
  }
}
