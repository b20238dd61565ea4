package io.protolearn.validator.node;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.contracts.RunManager;
import io.protolearn.chain.events.ChainEvent;
import io.protolearn.chain.events.EventFeed;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.lanes.LaneAssignment;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.round.Availability;
import io.protolearn.protocol.round.RoundClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the chain fixes about one round, read once its seed is drawn: the clock, the parameters, the
 * seed, the validator snapshot sorted by address (docs/CONTRACTS.md §5), the miners of each stage,
 * their lanes (DESIGN §3: each stage's sorted miners, less those convicted in round r-1 ({@code
 * RunClient.laneMiners}), permuted by the lane seed both roles read with {@code
 * RunClient.laneSeed}: round r-1's seed, or the public genesis seed for round 0 and for a round
 * whose predecessor's seed can never be drawn), and every commitment with its fields from the
 * {@code Committed} events; {@code order} is the round's miners in round order (each stage's
 * snapshot list, stage by stage), which availability bitmaps index ({@link
 * io.protolearn.protocol.round.Availability}).
 */
public record RoundView(
    long runId,
    long round,
    RoundClock clock,
    RunManager.Params params,
    Bytes32 seed,
    List<Address> validators,
    LaneAssignment lanes,
    Map<Address, Committed> commitments,
    Map<Address, String> endpoints,
    List<Address> order) {

  /** A miner's commitment and its place in the round. */
  public record Committed(Address miner, int stage, int lane, Commitment commitment) {}

  public int sampleRateBps() {
    return params.sampleRateBps.intValueExact();
  }

  public int stages() {
    return lanes.lanes().isEmpty() ? 0 : lanes.lanes().get(0).size();
  }

  /** The lane member of {@code stage} in {@code lane}, if such a stage exists. */
  public Optional<Address> memberAt(int lane, int stage) {
    if (lane < 0 || lane >= lanes.laneCount() || stage < 0 || stage >= stages()) {
      return Optional.empty();
    }
    return Optional.of(lanes.lanes().get(lane).get(stage));
  }

  public long checkEnd() {
    return clock.checkEnd();
  }

  /**
   * The round cannot be read yet: its lane seed is not settled, or the round before is not final (a
   * dispute holds it). Retried at the next tick; the tick's jury duties go on meanwhile, since they
   * may be what the round before waits for.
   */
  public static final class NotYetReadable extends IllegalStateException {
    NotYetReadable(String message) {
      super(message);
    }
  }

  /** Reads the round from the chain; the seed must be drawn. */
  public static RoundView read(ProtocolClient chain, EventFeed events, long round) {
    long runId = chain.runs().runId();
    RoundClock clock = chain.runs().clock(round);
    RunManager.Params params = chain.runs().paramsAt(round);
    Bytes32 seed = chain.runs().seedOf(round);
    Bytes32 previous = laneSeed(chain, round);
    List<Address> validators = new ArrayList<>();
    for (String v : chain.runs().validatorsAt(round)) {
      validators.add(Address.fromHex(v));
    }
    validators.sort(null);
    int stageCount = chain.runs().spec().stageCount();
    List<List<Address>> byStage = new ArrayList<>();
    for (int s = 0; s < stageCount; s++) {
      List<Address> miners = new ArrayList<>();
      for (String m : chain.runs().minersAt(s, round)) {
        miners.add(Address.fromHex(m));
      }
      byStage.add(miners);
    }
    // the lanes leave out the miners convicted in round r-1, once that round is final (as the
    // miners read them); the availability bitmaps index the whole snapshot
    List<List<Address>> laneMiners =
        chain
            .runs()
            .laneMiners(round, java.time.Duration.ofSeconds(30))
            .orElseThrow(
                () ->
                    new NotYetReadable(
                        "round " + round + ": round " + (round - 1) + " is not finalized yet"));
    LaneAssignment lanes = LaneAssignment.of(laneMiners, previous);
    Map<Address, Committed> commitments = new LinkedHashMap<>();
    Map<Address, String> endpoints = new HashMap<>();
    for (ChainEvent e : events.poll(clock.start(), clock.commitDeadline())) {
      if (!(e instanceof ChainEvent.Committed c) || c.runId() != runId || c.round() != round) {
        continue;
      }
      Address miner = Address.fromHex(c.miner());
      Optional<Map.Entry<Integer, Integer>> pos = lanes.positionOf(miner);
      int stage = stageOf(byStage, miner);
      commitments.put(
          miner,
          new Committed(miner, stage, pos.map(Map.Entry::getKey).orElse(-1), c.commitment()));
      endpoints.put(miner, chain.runs().memberOf(c.miner()).endpoint());
    }
    for (List<Address> lane : lanes.lanes()) {
      for (Address m : lane) {
        endpoints.computeIfAbsent(m, a -> chain.runs().memberOf(a.toHex()).endpoint());
      }
    }
    return new RoundView(
        runId,
        round,
        clock,
        params,
        seed,
        validators,
        lanes,
        commitments,
        endpoints,
        Availability.roundOrder(byStage));
  }

  /**
   * The seed that orders round r's lanes, read from the chain as the miners read it ({@link
   * io.protolearn.chain.client.RunClient#laneSeed}); a seed not settled yet fails the read, which
   * the check loop retries.
   */
  static Bytes32 laneSeed(ProtocolClient chain, long round) {
    return chain
        .runs()
        .laneSeed(round, java.time.Duration.ofSeconds(30))
        .orElseThrow(
            () ->
                new NotYetReadable(
                    "round "
                        + round
                        + ": its lane seed (round "
                        + (round - 1)
                        + "'s seed) is not"
                        + " drawn yet"));
  }

  private static int stageOf(List<List<Address>> byStage, Address miner) {
    for (int s = 0; s < byStage.size(); s++) {
      if (byStage.get(s).contains(miner)) {
        return s;
      }
    }
    return -1;
  }
}
