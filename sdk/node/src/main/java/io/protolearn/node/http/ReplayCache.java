package io.protolearn.node.http;

import io.protolearn.protocol.crypto.Bytes32;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The digests of accepted signed requests, each kept until it could no longer pass the clock-skew
 * check, so a captured request cannot be played again. Bounded: when full of live entries it
 * refuses new ones ({@link Outcome#FULL}) rather than forgetting one that could then be replayed.
 */
public final class ReplayCache {
  /** What {@link #record} found. */
  public enum Outcome {
    FRESH,
    REPLAY,
    FULL
  }

  private final int capacity;
  private final long retentionMillis;
  private final LinkedHashMap<Bytes32, Long> expiries = new LinkedHashMap<>();

  /** {@code retentionMillis} must cover the whole window a timestamp is accepted in. */
  public ReplayCache(int capacity, long retentionMillis) {
    if (capacity < 1 || retentionMillis < 1) {
      throw new IllegalArgumentException("capacity and retention must be positive");
    }
    this.capacity = capacity;
    this.retentionMillis = retentionMillis;
  }

  /** Records {@code digest} as seen at {@code nowMillis}, unless it was seen before. */
  public synchronized Outcome record(Bytes32 digest, long nowMillis) {
    evictExpired(nowMillis);
    if (expiries.containsKey(digest)) {
      return Outcome.REPLAY;
    }
    if (expiries.size() >= capacity) {
      return Outcome.FULL;
    }
    expiries.put(digest, nowMillis + retentionMillis);
    return Outcome.FRESH;
  }

  public synchronized int size() {
    return expiries.size();
  }

  /** How many digests are still live at {@code nowMillis}. */
  public synchronized int size(long nowMillis) {
    evictExpired(nowMillis);
    return expiries.size();
  }

  private void evictExpired(long nowMillis) {
    Iterator<Map.Entry<Bytes32, Long>> it = expiries.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue() > nowMillis) {
        return; // insertion order is expiry order (clock going backwards only delays eviction)
      }
      it.remove();
    }
  }
}
