package io.protolearn.protocol.lanes;

import io.protolearn.protocol.crypto.AbiEncoder;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lanes of a round (DESIGN.md §3): {@code L = min_s R_s} lanes, lane {@code l} taking the
 * {@code l}-th miner of each stage's permutation; miners past {@code L} are standbys. Each stage's
 * miners are sorted by address, then shuffled by Fisher-Yates where step {@code i} swaps with
 * {@code j = uint(keccak256(abi.encodePacked(seed, uint256(stage), uint256(i)))) % (i + 1)}, {@code
 * i} running from {@code n - 1} down to 1.
 *
 * @param lanes lanes.get(l).get(s) is the miner of stage s in lane l
 * @param standbys per stage, the miners that train in no lane this round
 */
public record LaneAssignment(List<List<Address>> lanes, List<List<Address>> standbys) {

  /**
   * @param minersByStage the active miners of each stage, stage 0 first (any order)
   * @param seed the previous round's seed
   */
  public static LaneAssignment of(List<List<Address>> minersByStage, Bytes32 seed) {
    if (minersByStage.isEmpty()) {
      throw new IllegalArgumentException("a model has at least one stage");
    }
    List<List<Address>> shuffled = new ArrayList<>();
    for (int s = 0; s < minersByStage.size(); s++) {
      shuffled.add(permutation(minersByStage.get(s), seed, s));
    }
    int laneCount = shuffled.stream().mapToInt(List::size).min().orElse(0);
    List<List<Address>> lanes = new ArrayList<>();
    for (int l = 0; l < laneCount; l++) {
      List<Address> lane = new ArrayList<>();
      for (List<Address> stage : shuffled) {
        lane.add(stage.get(l));
      }
      lanes.add(List.copyOf(lane));
    }
    List<List<Address>> standbys = new ArrayList<>();
    for (List<Address> stage : shuffled) {
      standbys.add(List.copyOf(stage.subList(laneCount, stage.size())));
    }
    return new LaneAssignment(List.copyOf(lanes), List.copyOf(standbys));
  }

  /** The seed's permutation of one stage's miners. */
  public static List<Address> permutation(List<Address> miners, Bytes32 seed, int stage) {
    List<Address> list = new ArrayList<>(miners);
    list.sort(null);
    for (int i = list.size() - 1; i > 0; i--) {
      byte[] h = Keccak.keccak256(AbiEncoder.create().bytes32(seed).uint(stage).uint(i).toBytes());
      int j = new BigInteger(1, h).mod(BigInteger.valueOf(i + 1L)).intValue();
      Address tmp = list.get(i);
      list.set(i, list.get(j));
      list.set(j, tmp);
    }
    return list;
  }

  /**
   * The public seed of round {@code round}'s lanes when no drawn seed of the previous round exists
   * (round 0, or a round nobody drew the seed of): {@code keccak256(abi.encodePacked( uint256
   * runId, "protolearn-genesis", uint256 round))}. Miners and validators must agree on it.
   */
  public static Bytes32 genesisSeed(long runId, long round) {
    return new Bytes32(
        Keccak.keccak256(
            AbiEncoder.create()
                .uint(runId)
                .raw("protolearn-genesis".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .uint(round)
                .toBytes()));
  }

  public int laneCount() {
    return lanes.size();
  }

  /** The lane and stage of a miner, if it trains this round. */
  public Optional<Map.Entry<Integer, Integer>> positionOf(Address miner) {
    for (int l = 0; l < lanes.size(); l++) {
      int s = lanes.get(l).indexOf(miner);
      if (s >= 0) {
        return Optional.of(Map.entry(l, s));
      }
    }
    return Optional.empty();
  }
}
