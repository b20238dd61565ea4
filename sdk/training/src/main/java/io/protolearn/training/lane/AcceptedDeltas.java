package io.protolearn.training.lane;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.lanes.LaneAssignment;
import io.protolearn.training.tensor.HostTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which deltas a stage's outer step takes (DESIGN.md §7), shared by the miners who aggregate and
 * the validators who check the aggregation: the lanes of the round in lane order, leaving out a
 * lane in which any member was convicted, did not commit, or was not available — availability is
 * the strict majority of the round's attestations ({@link
 * io.protolearn.protocol.round.Availability}), so every node derives the same set from the chain
 * alone (DESIGN §7 v2). A lane's delta that cannot be obtained by this node (not served, or not
 * matching its commitment) is named in {@link Result#unavailable}: a node without it must not
 * aggregate a different set.
 */
public final class AcceptedDeltas {
  private AcceptedDeltas() {}

  /** The delta a stage member committed, fetched and checked against its commitment's hash. */
  @FunctionalInterface
  public interface Source {
    Optional<List<HostTensor>> delta(Address miner);
  }

  /**
   * @param deltas the obtained deltas of the accepted lanes, in lane order
   * @param unavailable the stage members of accepted lanes whose delta could not be obtained
   * @param members the stage members of the accepted lanes whose delta was obtained, in the order
   *     of {@code deltas}
   */
  public record Result(
      List<List<HostTensor>> deltas, List<Address> unavailable, List<Address> members) {
    public Result {
      deltas = List.copyOf(deltas);
      unavailable = List.copyOf(unavailable);
      members = List.copyOf(members);
    }

    /** Every accepted lane's delta was obtained: the outer step over them is the base. */
    public boolean complete() {
      return unavailable.isEmpty();
    }
  }

  public static Result collect(
      LaneAssignment lanes,
      int stage,
      Predicate<Address> convicted,
      Predicate<Address> committed,
      Predicate<Address> available,
      Source source) {
    List<List<HostTensor>> deltas = new ArrayList<>();
    List<Address> unavailable = new ArrayList<>();
    List<Address> obtained = new ArrayList<>();
    for (List<Address> members : lanes.lanes()) {
      Address m = members.get(stage);
      if (members.stream().anyMatch(convicted)
          || !members.stream().allMatch(committed)
          || !members.stream().allMatch(available)) {
        continue;
      }
      Optional<List<HostTensor>> d = source.delta(m);
      if (d.isPresent()) {
        deltas.add(d.get());
        obtained.add(m);
      } else {
        unavailable.add(m);
      }
    }
    return new Result(deltas, unavailable, obtained);
  }
}
