package io.protolearn.protocol.lanes;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaneAssignmentTest {

  private static List<Address> miners(String prefix, int n) {
    List<Address> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] h = Keccak.keccak256((prefix + i).getBytes());
      out.add(new Address(java.util.Arrays.copyOf(h, 20)));
    }
    return out;
  }

  private static Bytes32 seed(String s) {
    return new Bytes32(Keccak.keccak256(s.getBytes()));
  }

  @Test
  void shouldFormMinStageCountLanesWithOneMinerPerStage() {
    List<List<Address>> stages = List.of(miners("a", 3), miners("b", 2), miners("c", 4));
    LaneAssignment lanes = LaneAssignment.of(stages, seed("r1"));
    assertThat(lanes.laneCount()).isEqualTo(2);
    for (List<Address> lane : lanes.lanes()) {
      assertThat(lane).hasSize(3);
      for (int s = 0; s < 3; s++) {
        assertThat(stages.get(s)).contains(lane.get(s));
      }
    }
    assertThat(lanes.standbys().get(0)).hasSize(1);
    assertThat(lanes.standbys().get(1)).isEmpty();
    assertThat(lanes.standbys().get(2)).hasSize(2);
  }

  @Test
  void shouldNotDependOnTheOrderMinersAreListedIn() {
    List<Address> stage0 = miners("a", 5);
    List<Address> reversed = new ArrayList<>(stage0);
    Collections.reverse(reversed);
    assertThat(LaneAssignment.permutation(stage0, seed("x"), 0))
        .isEqualTo(LaneAssignment.permutation(reversed, seed("x"), 0));
  }

  @Test
  void shouldPermuteEveryMinerExactlyOnce() {
    List<Address> stage = miners("a", 9);
    List<Address> perm = LaneAssignment.permutation(stage, seed("y"), 1);
    assertThat(new HashSet<>(perm)).isEqualTo(new HashSet<>(stage));
  }

  @Test
  void shouldChangeLanesWithTheSeed() {
    List<Address> stage = miners("a", 8);
    assertThat(LaneAssignment.permutation(stage, seed("one"), 0))
        .isNotEqualTo(LaneAssignment.permutation(stage, seed("two"), 0));
  }

  @Test
  void shouldLocateAMiner() {
    List<List<Address>> stages = List.of(miners("a", 2), miners("b", 2));
    LaneAssignment lanes = LaneAssignment.of(stages, seed("z"));
    Address m = lanes.lanes().get(1).get(1);
    assertThat(lanes.positionOf(m))
        .hasValueSatisfying(
            p -> {
              assertThat(p.getKey()).isEqualTo(1);
              assertThat(p.getValue()).isEqualTo(1);
            });
  }

  @Test
  void shouldDeriveADistinctPublicGenesisSeedPerRunAndRound() {
    assertThat(LaneAssignment.genesisSeed(1, 0)).isEqualTo(LaneAssignment.genesisSeed(1, 0));
    assertThat(LaneAssignment.genesisSeed(1, 0)).isNotEqualTo(LaneAssignment.genesisSeed(1, 1));
    assertThat(LaneAssignment.genesisSeed(1, 0)).isNotEqualTo(LaneAssignment.genesisSeed(2, 0));
    // keccak256(abi.encodePacked(uint256(1), "protolearn-genesis", uint256(0)))
    byte[] packed = new byte[32 + 18 + 32];
    packed[31] = 1;
    System.arraycopy("protolearn-genesis".getBytes(), 0, packed, 32, 18);
    assertThat(LaneAssignment.genesisSeed(1, 0)).isEqualTo(new Bytes32(Keccak.keccak256(packed)));
  }
}
