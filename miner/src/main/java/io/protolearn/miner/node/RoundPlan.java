package io.protolearn.miner.node;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.lanes.LaneAssignment;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This miner's place in one round: the round's lanes (DESIGN.md §3), its lane and stage, the lane's
 * members (one per stage) and where they are reached ({@code memberOf(...).endpoint}).
 */
public record RoundPlan(
    long runId,
    long round,
    LaneAssignment lanes,
    int lane,
    int stage,
    List<Address> members,
    Map<Address, String> endpoints) {

  public RoundPlan {
    members = List.copyOf(members);
    endpoints = Map.copyOf(endpoints);
  }

  public int stages() {
    return members.size();
  }

  public Address self() {
    return members.get(stage);
  }

  public Address stage0Miner() {
    return members.get(0);
  }

  /** The lane member of an adjacent stage, if that stage exists. */
  public Optional<Address> peerAt(int s) {
    return s < 0 || s >= members.size() ? Optional.empty() : Optional.of(members.get(s));
  }

  public String endpointOf(Address a) {
    String e = endpoints.get(a);
    if (e == null) {
      throw new IllegalStateException("no endpoint known for " + a);
    }
    return e;
  }

  /** True when {@code a} is a lane peer adjacent to this miner (the only ones that send to it). */
  public boolean isAdjacentPeer(Address a) {
    return peerAt(stage - 1).filter(a::equals).isPresent()
        || peerAt(stage + 1).filter(a::equals).isPresent();
  }
}
