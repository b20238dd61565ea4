package io.protolearn.training.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.lanes.LaneAssignment;
import io.protolearn.training.tensor.HostTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AcceptedDeltasTest {
  private static Address a(int i) {
    return Address.fromHex(String.format("0x%040x", i));
  }

  /** Four lanes of two stages; each miner's delta is one float: its number. */
  private final LaneAssignment lanes =
      new LaneAssignment(
          List.of(
              List.of(a(1), a(11)),
              List.of(a(2), a(12)),
              List.of(a(3), a(13)),
              List.of(a(4), a(14))),
          List.of(List.of(), List.of()));

  private static Optional<List<HostTensor>> deltaOf(Address m) {
    return Optional.of(List.of(HostTensor.of(new float[] {m.bytes()[19]}, 1)));
  }

  private static List<Float> values(AcceptedDeltas.Result r) {
    List<Float> out = new ArrayList<>();
    r.deltas().forEach(d -> out.add(d.get(0).floats()[0]));
    return out;
  }

  @Test
  void shouldTakeEveryCommittedLaneInLaneOrder() {
    AcceptedDeltas.Result r =
        AcceptedDeltas.collect(
            lanes, 1, m -> false, m -> true, m -> true, AcceptedDeltasTest::deltaOf);
    assertThat(values(r)).containsExactly(11f, 12f, 13f, 14f);
    assertThat(r.complete()).isTrue();
  }

  @Test
  void shouldLeaveOutLanesWithAConvictedMemberOfAnyStageAndUncommittedMembers() {
    Set<Address> convicted = Set.of(a(2)); // stage 0 of lane 1 taints stage 1's delta too
    Set<Address> uncommitted = Set.of(a(14));
    AcceptedDeltas.Result r =
        AcceptedDeltas.collect(
            lanes,
            1,
            convicted::contains,
            m -> !uncommitted.contains(m),
            m -> true,
            AcceptedDeltasTest::deltaOf);
    assertThat(values(r)).containsExactly(11f, 13f);
    assertThat(r.complete()).isTrue();
  }

  @Test
  void shouldLeaveOutALaneWhoseMemberOfAnotherStageDidNotCommit() {
    // lane 2's stage-1 miner was ejected mid-round (or withheld its commit): the stage-0 delta of
    // that lane was trained on gradients nobody committed to, and is not aggregated (DESIGN §7)
    Set<Address> uncommitted = Set.of(a(13));
    AcceptedDeltas.Result r =
        AcceptedDeltas.collect(
            lanes,
            0,
            m -> false,
            m -> !uncommitted.contains(m),
            m -> true,
            AcceptedDeltasTest::deltaOf);
    assertThat(values(r)).containsExactly(1f, 2f, 4f);
    assertThat(r.complete()).isTrue();
  }

  @Test
  void shouldLeaveOutALaneWithAMemberTheAttestationsDidNotFindAvailable() {
    // lane 1's stage-0 member (a copycat, or one that withheld its update from validators) was not
    // available on a majority of the attestations: neither stage takes lane 1, and nobody asks it
    // for a delta it cannot be trusted to serve
    Set<Address> notAvailable = Set.of(a(2));
    List<Address> asked = new ArrayList<>();
    AcceptedDeltas.Result r =
        AcceptedDeltas.collect(
            lanes,
            1,
            m -> false,
            m -> true,
            m -> !notAvailable.contains(m),
            m -> {
              asked.add(m);
              return deltaOf(m);
            });
    assertThat(values(r)).containsExactly(11f, 13f, 14f);
    assertThat(asked).doesNotContain(a(12));
    assertThat(r.complete()).isTrue();
  }

  @Test
  void shouldNameTheMembersWhoseDeltaCouldNotBeObtained() {
    Map<Address, Boolean> serves = Map.of(a(1), true, a(2), false, a(3), true, a(4), false);
    AcceptedDeltas.Result r =
        AcceptedDeltas.collect(
            lanes,
            0,
            m -> false,
            m -> true,
            m -> true,
            m -> serves.get(m) ? deltaOf(m) : Optional.empty());
    assertThat(values(r)).containsExactly(1f, 3f);
    assertThat(r.unavailable()).containsExactly(a(2), a(4));
    assertThat(r.members()).containsExactly(a(1), a(3));
    assertThat(r.complete()).isFalse();
  }
}
