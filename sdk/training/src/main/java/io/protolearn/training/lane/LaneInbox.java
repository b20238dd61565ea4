package io.protolearn.training.lane;

import io.protolearn.training.lane.LaneTransport.MessageKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tensors received from lane peers, waiting for the training thread. Over the network a key is
 * accepted once per round ({@link #offer}: a second message for it is a duplicate); old rounds are
 * dropped when a new one starts.
 */
public final class LaneInbox {
  private final Map<MessageKey, SignedTensor> waiting = new HashMap<>();
  private final Set<MessageKey> seen = new HashSet<>();

  /** Stores a message; false if one with the same key was already accepted. */
  public synchronized boolean offer(SignedTensor message) {
    if (!seen.add(MessageKey.of(message))) {
      return false;
    }
    put(message);
    return true;
  }

  /** Stores a message, replacing one waiting with the same key (a process's own lanes). */
  public synchronized void put(SignedTensor message) {
    waiting.put(MessageKey.of(message), message);
    notifyAll();
  }

  /** Waits up to {@code timeout} for the message; removes and returns it. */
  public synchronized Optional<SignedTensor> await(MessageKey key, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!waiting.containsKey(key)) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return Optional.of(waiting.remove(key));
  }

  /** Forgets every message of rounds before {@code round}. */
  public synchronized void startRound(long round) {
    waiting.keySet().removeIf(k -> k.round() < round);
    seen.removeIf(k -> k.round() < round);
  }

  public synchronized int pending() {
    return waiting.size();
  }
}
