package io.protolearn.chain;

import static io.protolearn.testing.Hashes.h;
import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.chain.client.DisputeClient.ProvenLeaf;
import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.lanes.LaneAssignment;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.round.RoundClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The miners that fill a round's lanes (DESIGN §3): a miner convicted for round r-1 while round r
 * is already under way is ejected from r — it cannot commit there — but stays in r's snapshot,
 * which was fixed when r began. Lanes made from the snapshot gave it a lane slot and stood an
 * honest miner of its stage by: in the devnet demo, convicted adversaries held every lane of a
 * round and the honest miners trained nothing. Lanes come from {@code RunClient.laneMiners}: the
 * snapshot less round r-1's convicted miners, read once round r-1 is final, so every reader reads
 * one list.
 */
class LaneMinersIT {
  private static RunFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new RunFixture(1);
  }

  @AfterAll
  static void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void shouldLeaveAMinerConvictedForTheRoundBeforeOutOfTheLanes() {
    long runId = f.chain.deployment().runId();
    ProtocolClient cheat = f.miners.get(0); // stage 0
    ProtocolClient peer = f.miners.get(1); // stage 1
    ProtocolClient honest = f.client(4); // a second stage-0 miner
    honest.staking().stake(RunFixture.STAKE);
    honest.runs().joinAsMiner(0, "http://127.0.0.1:9002");
    ProtocolClient validator = f.validators.get(0);

    RoundClock r0 = cheat.runs().clock(0);
    f.chain.mineTo(r0.start());
    RoundTree broken = RunFixture.brokenAt(runId, 0, cheat.address(), 0, 4, h("init"), 2);
    Commitment c = new Commitment(broken.root(), 4, h("delta"), h("init"));
    cheat.runs().commit(0, c);
    // round 0 not over: its convictions can still change, so round 1's lanes cannot be read yet
    assertThat(peer.runs().laneMiners(1, Duration.ZERO)).isEmpty();

    // round 1 under way; round 0's fraud proven only now (no finalize came first)
    f.chain.mineTo(r0.voteEnd() + 2); // the next transaction's block
    assertThat(validator.runs().currentRound()).isEqualTo(1);
    ProvenLeaf a = new ProvenLeaf(broken.leaves().get(1), broken.proof(broken.leaves().get(1)));
    ProvenLeaf b = new ProvenLeaf(broken.leaves().get(2), broken.proof(broken.leaves().get(2)));
    validator.disputes().proveChainBreak(0, cheat.address(), c, a, b);
    assertThat(validator.runs().commitmentOf(0, cheat.address()).convicted()).isTrue();
    // the snapshot of round 1, fixed before the conviction, still holds it: what lanes came from
    assertThat(validator.runs().minersAt(0, 1))
        .extracting(String::toLowerCase)
        .contains(cheat.address().toLowerCase());

    // the first reader finalizes round 0; every reader then reads the same lane miners
    List<List<Address>> lanes = peer.runs().laneMiners(1, Duration.ZERO).orElseThrow();
    assertThat(peer.runs().roundInfo(0).finalized()).isTrue();
    assertThat(validator.runs().laneMiners(1, Duration.ZERO)).contains(lanes);
    assertThat(lanes)
        .containsExactly(
            List.of(Address.fromHex(honest.address())), List.of(Address.fromHex(peer.address())));
    LaneAssignment assignment = LaneAssignment.of(lanes, h("any seed"));
    assertThat(assignment.lanes())
        .containsExactly(
            List.of(Address.fromHex(honest.address()), Address.fromHex(peer.address())));
    assertThat(assignment.standbys()).allSatisfy(s -> assertThat(s).isEmpty());
    // round 1 itself is not final yet: round 2's lanes wait
    assertThat(validator.runs().laneMiners(2, Duration.ZERO)).isEmpty();
  }
}
