package io.protolearn.validator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class GrinderChecksTest {
  private static final Address HONEST = Address.fromHex("0x" + "11".repeat(20));
  private static final Address CHEAT = Address.fromHex("0x" + "22".repeat(20));

  /** Honest checks: the cheat's steps are unavailable, every other step matches. */
  private static final class Honest implements StepChecks {
    @Override
    public CheckOutcome check(RoundView view, Address miner, int step) {
      return miner.equals(CHEAT)
          ? new CheckOutcome.Unavailable(miner, step, "nothing served")
          : new CheckOutcome.Match(miner, step, Bytes32.ZERO);
    }

    @Override
    public void prepare(long currentRound) {}

    @Override
    public void available(RoundView view, Set<Address> verified, BooleanSupplier timeUp) {}
  }

  private static RoundView round(long r) {
    return new RoundView(
        1, r, null, null, Bytes32.ZERO, List.of(), null, Map.of(), Map.of(), List.of());
  }

  @Test
  void accusesOneStepItFoundCorrectPerRoundAndOtherwiseChecksHonestly() {
    StepChecks grinder = new GrinderChecks(new Honest());

    // a real fault is reported as it is, and does not use up the round's accusation
    assertThat(grinder.check(round(1), CHEAT, 0)).isInstanceOf(CheckOutcome.Unavailable.class);
    CheckOutcome framed = grinder.check(round(1), HONEST, 2);
    assertThat(framed).isInstanceOf(CheckOutcome.Unavailable.class);
    assertThat(((CheckOutcome.Unavailable) framed).accused()).isEqualTo(HONEST);
    assertThat(grinder.check(round(1), HONEST, 3)).isInstanceOf(CheckOutcome.Match.class);
    // one accusation a round
    assertThat(grinder.check(round(2), HONEST, 0)).isInstanceOf(CheckOutcome.Unavailable.class);
    assertThat(grinder.check(round(2), HONEST, 1)).isInstanceOf(CheckOutcome.Match.class);
  }

  @Test
  void votesGuiltyWhateverItsOwnCheckFound() {
    StepChecks grinder = new GrinderChecks(new Honest());
    assertThat(grinder.verdict(null, false)).isTrue();
    assertThat(grinder.verdict(null, true)).isTrue();
    // the honest checks and the lazy ones keep the honest verdict
    assertThat(new Honest().verdict(null, false)).isFalse();
    assertThat(new LazyChecks(new Honest()).verdict(null, false)).isFalse();
  }
}
