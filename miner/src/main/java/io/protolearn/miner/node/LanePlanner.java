package io.protolearn.miner.node;

import io.protolearn.chain.client.RunClient;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.lanes.LaneAssignment;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lanes of a round from the chain (DESIGN.md §3): the stages' miner snapshots less the miners
 * convicted in the round before, ordered by the lane seed that {@link RunClient#laneSeed} reads —
 * round r-1's seed, drawn by this node when nobody did, never a local guess.
 */
final class LanePlanner {
  private static final Logger LOG = LoggerFactory.getLogger(LanePlanner.class);

  private final RunClient runs;
  private final Address me;

  /**
   * How long a plan waits for the previous round's seed to be drawn, or its finalize to be mined,
   * by this node or another.
   */
  private static final Duration SEED_WAIT = Duration.ofSeconds(30);

  LanePlanner(RunClient runs, Address me) {
    this.runs = runs;
    this.me = me;
  }

  /**
   * The miners that fill round r's lanes ({@link RunClient#laneMiners}: the snapshot less those
   * convicted in round r-1); empty while round r-1 is not final.
   */
  Optional<List<List<Address>>> laneMiners(long r) {
    return runs.laneMiners(r, SEED_WAIT);
  }

  /**
   * The seed that orders round r's lanes, read from the chain ({@link RunClient#laneSeed}); empty
   * while round r-1's seed is neither drawn nor past drawing.
   */
  Optional<Bytes32> laneSeed(long r) {
    return runs.laneSeed(r, SEED_WAIT);
  }

  /** The lanes of a past round, whose lane seed is settled. */
  LaneAssignment lanesOf(long r) {
    Bytes32 seed =
        laneSeed(r)
            .orElseThrow(
                () -> new IllegalStateException("round " + r + ": its lane seed is not readable"));
    List<List<Address>> miners =
        laneMiners(r)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "round " + r + ": round " + (r - 1) + " is not finalized yet"));
    return LaneAssignment.of(miners, seed);
  }

  Optional<RoundPlan> plan(long r) {
    Optional<Bytes32> seed = laneSeed(r);
    if (seed.isEmpty()) {
      LOG.warn(
          "round {}: the lane seed (round {}'s seed) is not drawn yet and still can be; not"
              + " training on a guess",
          r,
          r - 1);
      return Optional.empty();
    }
    Optional<List<List<Address>>> miners = laneMiners(r);
    if (miners.isEmpty()) {
      LOG.warn(
          "round {}: round {} is not finalized yet; its convictions may still change the lanes",
          r,
          r - 1);
      return Optional.empty();
    }
    LaneAssignment lanes = LaneAssignment.of(miners.get(), seed.get());
    var pos = lanes.positionOf(me);
    if (pos.isEmpty()) {
      return Optional.empty();
    }
    List<Address> members = lanes.lanes().get(pos.get().getKey());
    Map<Address, String> endpoints = new HashMap<>();
    for (Address a : members) {
      String e = runs.memberOf(a.toHex()).endpoint();
      endpoints.put(a, e.endsWith("/") ? e.substring(0, e.length() - 1) : e);
    }
    return Optional.of(
        new RoundPlan(
            runs.runId(), r, lanes, pos.get().getKey(), pos.get().getValue(), members, endpoints));
  }
}
