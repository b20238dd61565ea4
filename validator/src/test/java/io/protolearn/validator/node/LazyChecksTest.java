package io.protolearn.validator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class LazyChecksTest {
  private static final Address MINER = Address.fromHex("0x" + "11".repeat(20));

  /** Records what the honest checks were asked, to show the lazy decorator never asks them. */
  private static final class Recording implements StepChecks {
    final List<String> calls = new ArrayList<>();

    @Override
    public CheckOutcome check(RoundView view, Address miner, int step) {
      calls.add("check " + step);
      return new CheckOutcome.Match(miner, step, Bytes32.ZERO);
    }

    @Override
    public void prepare(long currentRound) {
      calls.add("prepare " + currentRound);
    }

    @Override
    public void available(RoundView view, Set<Address> verified, BooleanSupplier timeUp) {
      calls.add("available " + view.round());
    }
  }

  @Test
  void countsEveryStepAsAMatchOverAZeroLeafWithoutCheckingOrPreparing() {
    Recording honest = new Recording();
    StepChecks lazy = new LazyChecks(honest);

    CheckOutcome o = lazy.check(null, MINER, 3);
    lazy.prepare(7);

    assertThat(o).isEqualTo(new CheckOutcome.Match(MINER, 3, Bytes32.ZERO));
    assertThat(honest.calls).isEmpty();
  }
}
