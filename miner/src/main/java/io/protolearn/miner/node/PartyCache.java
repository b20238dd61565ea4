package io.protolearn.miner.node;

import io.protolearn.node.artifact.ArtifactSource;
import io.protolearn.protocol.crypto.Address;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may ask this miner for what, per round, read from the chain by the node loop (never from an
 * event loop): the validators of a round's snapshot (artifacts) and the miners of this stage
 * (deltas, commitments). HTTP handlers only read it.
 */
final class PartyCache {
  private final Map<Long, Set<Address>> validators = new ConcurrentHashMap<>();
  private final Map<Long, Set<Address>> stageMiners = new ConcurrentHashMap<>();

  void put(long round, Set<Address> roundValidators, Set<Address> roundStageMiners) {
    validators.put(round, Set.copyOf(roundValidators));
    stageMiners.put(round, Set.copyOf(roundStageMiners));
  }

  boolean isValidator(long round, Address a) {
    return validators.getOrDefault(round, Set.of()).contains(a);
  }

  /** A validator of any cached round: validators recompute every round's aggregation. */
  boolean isRecentValidator(Address a) {
    return validators.values().stream().anyMatch(s -> s.contains(a));
  }

  boolean isStageMiner(long round, Address a) {
    return stageMiners.getOrDefault(round, Set.of()).contains(a);
  }

  /**
   * A miner of this stage in {@code round} or a later cached round: a miner that joined after a
   * round aggregates its deltas into its first base (DESIGN §7), so it must be able to fetch them.
   */
  boolean isStageMinerFrom(long round, Address a) {
    return stageMiners.entrySet().stream()
        .anyMatch(e -> e.getKey() >= round && e.getValue().contains(a));
  }

  /**
   * What a signer may read of round {@code round}'s artifacts: all of them as a validator of the
   * round; commitment and delta as a stage miner of the round or a later one, or a validator of a
   * cached round.
   */
  ArtifactSource.Access access(long round, Address a) {
    if (isValidator(round, a)) {
      return ArtifactSource.Access.VALIDATOR;
    }
    return isStageMinerFrom(round, a) || isRecentValidator(a)
        ? ArtifactSource.Access.PEER
        : ArtifactSource.Access.NONE;
  }

  /** Anyone known in any cached round: the coarse allow-list of the signature check. */
  boolean known(Address a) {
    return validators.values().stream().anyMatch(s -> s.contains(a))
        || stageMiners.values().stream().anyMatch(s -> s.contains(a));
  }

  void forgetBefore(long round) {
    validators.keySet().removeIf(r -> r < round);
    stageMiners.keySet().removeIf(r -> r < round);
  }
}
