package io.protolearn.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.lanes.LaneAssignment;
import io.protolearn.protocol.round.RoundClock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lane seed every node reads (DESIGN §3, v2): round r-1's seed, drawn by the reader when nobody
 * has; the genesis seed only for round 0 or once r-1's seed can never be drawn; nothing — never a
 * guess — while the seed can still be drawn but is not yet. Before v2 a miner that waited 30 s for
 * a pending draw trained on the genesis seed while validators, reading later, used the drawn one,
 * and the two disagreed on every lane.
 */
class LaneSeedIT {
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
  void shouldReadTheDrawnSeedDrawItWhenNobodyHasAndNeverGuess() {
    long runId = f.chain.deployment().runId();
    var miner = f.miners.get(0).runs();
    var validator = f.validators.get(0).runs();
    assertThat(miner.laneSeed(0, Duration.ZERO)).contains(LaneAssignment.genesisSeed(runId, 0));

    // round 0's seed block not reached: nothing to read yet, and no guess
    RoundClock r0 = miner.clock(0);
    f.chain.mineTo(r0.start());
    assertThat(miner.laneSeed(1, Duration.ofMillis(500))).isEmpty();

    // once it can be drawn, the first reader draws it and both roles read the same value
    f.chain.mineTo(r0.seedBlock() + 1);
    assertThat(miner.seedOf(0)).isEqualTo(Bytes32.ZERO);
    Bytes32 seed = miner.laneSeed(1, Duration.ofSeconds(10)).orElseThrow();
    assertThat(seed).isNotEqualTo(Bytes32.ZERO).isEqualTo(miner.seedOf(0));
    assertThat(validator.laneSeed(1, Duration.ZERO)).contains(seed);

    // a seed nobody drew while its block hash was readable stays undrawn: the genesis seed of the
    // round, the same for every reader, and no caller picks one by choosing when to call
    RoundClock r1 = miner.clock(1);
    f.chain.mineTo(r1.seedBlock() + 300);
    assertThat(validator.laneSeed(2, Duration.ofSeconds(10)))
        .contains(LaneAssignment.genesisSeed(runId, 2));
    assertThat(miner.seedOf(1)).isEqualTo(Bytes32.ZERO);
    assertThat(miner.laneSeed(2, Duration.ZERO)).contains(LaneAssignment.genesisSeed(runId, 2));
  }
}
