package io.protolearn.miner.node;

import io.protolearn.training.lane.LaneTransport.MessageKey;
import io.protolearn.training.lane.SignedTensor;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tensors received from lane peers, waiting for the training thread. A key is accepted once per
 * round (a second message for it is a duplicate); old rounds are dropped when a new one starts.
 */
final class LaneInbox {
  private final Map<MessageKey, SignedTensor> waiting = new HashMap<>();
  private final Set<MessageKey> seen = new HashSet<>();

  /** Stores a message; false if one with the same key was already accepted. */
  synchronized boolean offer(SignedTensor message) {
    MessageKey key = MessageKey.of(message);
    if (!seen.add(key)) {
      return false;
    }
    waiting.put(key, message);
    notifyAll();
    return true;
  }

  /** Waits up to {@code timeout} for the message; removes and returns it. */
  synchronized Optional<SignedTensor> await(MessageKey key, Duration timeout)
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
  synchronized void startRound(long round) {
    waiting.keySet().removeIf(k -> k.round() < round);
    seen.removeIf(k -> k.round() < round);
  }

  synchronized int pending() {
    return waiting.size();
  }
}
