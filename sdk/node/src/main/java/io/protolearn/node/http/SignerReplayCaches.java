package io.protolearn.node.http;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One {@link ReplayCache} per signer (DESIGN §13 v2). With one cache shared by all, a single signer
 * sending fast enough filled it and every other signer was refused until its entries expired; now a
 * signer that fills its own cache is refused alone ({@link Outcome#SIGNER_FULL}: a rate limit of
 * {@code perSigner} requests per retention window), and the caches of at most {@code signers}
 * signers are held. A registered signer (a run member) always gets a cache: when all are taken, it
 * displaces the oldest unregistered signer's, whose requests no member route serves anyway; an
 * unregistered newcomer is refused ({@link Outcome#NO_ROOM}) instead, so a flood of fresh keys
 * cannot lock the members out.
 */
public final class SignerReplayCaches {
  /** What {@link #record} found. */
  public enum Outcome {
    FRESH,
    REPLAY,
    SIGNER_FULL,
    NO_ROOM
  }

  private final int perSigner;
  private final int signers;
  private final long retentionMillis;
  private final Predicate<Address> registered;
  private final LinkedHashMap<Address, ReplayCache> caches = new LinkedHashMap<>();

  /**
   * @param registered which signers are run members (must not block)
   */
  public SignerReplayCaches(
      int perSigner, int signers, long retentionMillis, Predicate<Address> registered) {
    if (perSigner < 1 || signers < 1 || retentionMillis < 1) {
      throw new IllegalArgumentException("capacities and retention must be positive");
    }
    this.perSigner = perSigner;
    this.signers = signers;
    this.retentionMillis = retentionMillis;
    this.registered = registered;
  }

  /** Records {@code digest}, signed by {@code signer}, as seen at {@code nowMillis}. */
  public synchronized Outcome record(Address signer, Bytes32 digest, long nowMillis) {
    ReplayCache cache = caches.get(signer);
    if (cache == null) {
      if (caches.size() >= signers && !makeRoom(registered.test(signer), nowMillis)) {
        return Outcome.NO_ROOM;
      }
      cache = new ReplayCache(perSigner, retentionMillis);
      caches.put(signer, cache);
    }
    return switch (cache.record(digest, nowMillis)) {
      case FRESH -> Outcome.FRESH;
      case REPLAY -> Outcome.REPLAY;
      case FULL -> Outcome.SIGNER_FULL;
    };
  }

  /** How many signers' caches are held. */
  public synchronized int signers() {
    return caches.size();
  }

  /**
   * Frees a slot: first a signer whose digests have all expired, then (for a registered newcomer)
   * the oldest unregistered signer's cache.
   */
  private boolean makeRoom(boolean forRegistered, long nowMillis) {
    Iterator<Map.Entry<Address, ReplayCache>> it = caches.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue().size(nowMillis) == 0) {
        it.remove();
        return true;
      }
    }
    if (!forRegistered) {
      return false;
    }
    it = caches.entrySet().iterator();
    while (it.hasNext()) {
      if (!registered.test(it.next().getKey())) {
        it.remove();
        return true;
      }
    }
    return false;
  }
}
