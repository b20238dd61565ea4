package io.protolearn.miner.node;

import io.protolearn.chain.client.RunClient;
import io.protolearn.chain.tx.ProtocolRevertException;
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
 * The lanes of a round from the chain (DESIGN.md §3): the stages' miner snapshots, ordered by round
 * r-1's seed. The node draws that seed itself when nobody did; for round 0, or when no seed can be
 * drawn (a halted round), the seed is the public {@link LaneAssignment#genesisSeed}, which miners
 * and validators compute alike.
 */
final class LanePlanner {
  private static final Logger LOG = LoggerFactory.getLogger(LanePlanner.class);

  private final RunClient runs;
  private final int stages;
  private final Address me;

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

  /** The seed that orders round r's lanes: round r-1's seed (drawn here if need be). */
  Bytes32 laneSeed(long r) {
    if (r > 0) {
      Bytes32 seed = runs.seedOf(r - 1);
      if (seed.equals(Bytes32.ZERO)) {
        try {
          runs.drawSeed(r - 1);
        } catch (ProtocolRevertException e) {
          LOG.debug("drawSeed({}) refused: {}", r - 1, e.getMessage());
          if (e.errorName().equals("RunManagerSeedAlreadyDrawn")) {
            // another miner's draw is pending: wait until it is mined, never guess
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (runs.seedOf(r - 1).equals(Bytes32.ZERO) && System.nanoTime() < end) {
              sleep(Duration.ofMillis(100));
            }
          }
        }
        seed = runs.seedOf(r - 1);
      }
      if (!seed.equals(Bytes32.ZERO)) {
        return seed;
      }
    }
    return LaneAssignment.genesisSeed(runs.runId(), r);
  }

  Optional<RoundPlan> plan(long r) {
    LaneAssignment lanes = LaneAssignment.of(minersByStage(r), laneSeed(r));
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

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
