package io.protolearn.training.lane;

import io.protolearn.protocol.crypto.Address;
import java.time.Duration;
import java.util.Optional;

/**
 * A {@link LaneTransport} inside one process: every stage's messages go through one {@link
 * LaneInbox}. A stage waits for its peer's message up to a timeout; an interrupted wait ends the
 * lane.
 */
public final class InMemoryLaneTransport implements LaneTransport {
  /** How long a stage waits for a peer's message by default: far beyond any step's compute. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  private final LaneInbox inbox = new LaneInbox();
  private final Duration timeout;

  public InMemoryLaneTransport() {
    this(DEFAULT_TIMEOUT);
  }

  public InMemoryLaneTransport(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public void send(SignedTensor message, Address to) {
    inbox.put(message);
  }

  @Override
  public SignedTensor await(MessageKey key, Address from) {
    try {
      Optional<SignedTensor> m = inbox.await(key, timeout);
      return m.orElseThrow(
          () ->
              new LaneFailure(
                  "lane peer "
                      + from
                      + " sent nothing for "
                      + key
                      + " in "
                      + timeout.toSeconds()
                      + " s"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LaneFailure("interrupted while waiting for " + key);
    }
  }

  public int pending() {
    return inbox.pending();
  }
}
