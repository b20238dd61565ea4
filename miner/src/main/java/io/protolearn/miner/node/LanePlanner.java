package io.protolearn.miner.node;

import io.protolearn.chain.client.RunClient;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.lanes.LaneAssignment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lanes of a round from the chain (DESIGN.md §3): the stages' miner snapshots, ordered by the
 * lane seed that {@link RunClient#laneSeed} reads — round r-1's seed, drawn by this node when
 * nobody did, never a local guess.
 */
final class LanePlanner {
  private static final Logger LOG = LoggerFactory.getLogger(LanePlanner.class);

  private final RunClient runs;
  private final int stages;
  private final Address me;

  /** How long a plan waits for the previous round's seed to be drawn (by this node or another). */
  private static final Duration SEED_WAIT = Duration.ofSeconds(30);

  LanePlanner(RunClient runs, int stages, Address me) {
    this.runs = runs;
    this.stages = stages;
    this.me = me;
  }

  List<List<Address>> minersByStage(long r) {
    List<List<Address>> out = new ArrayList<>();
    for (int s = 0; s < stages; s++) {
      out.add(runs.minersAt(s, r).stream().map(Address::fromHex).toList());
    }
    return out;
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
    return LaneAssignment.of(minersByStage(r), seed);
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
    LaneAssignment lanes = LaneAssignment.of(minersByStage(r), seed.get());
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
