package io.protolearn.protocol.economics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class RewardsTest {
  private static final BigInteger SHARES = BigInteger.valueOf(1_000_000);

  @Test
  void shouldSplitTheMinerPoolByStepCount() {
    // 20% to validators: 800,000 to miners; a miner with 30 of 120 steps gets a quarter.
    assertThat(Rewards.minerReward(SHARES, 2_000, 30, 120)).isEqualTo(BigInteger.valueOf(200_000));
    assertThat(Rewards.minerPool(SHARES, 2_000)).isEqualTo(BigInteger.valueOf(800_000));
  }

  @Test
  void shouldSplitTheValidatorPoolEqually() {
    assertThat(Rewards.validatorReward(SHARES, 2_000, 3)).isEqualTo(BigInteger.valueOf(66_666));
    assertThat(Rewards.validatorReward(SHARES, 2_000, 0)).isZero();
  }

  @Test
  void shouldGiveNothingWhenNoStepWasAccepted() {
    assertThat(Rewards.minerReward(SHARES, 2_000, 10, 0)).isZero();
  }

  @Test
  void shouldCatchMoreFabricationAtHigherRates() {
    assertThat(SoundnessBound.detectionProbability(0.1, 10))
        .isCloseTo(1 - Math.pow(0.9, 10), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(SoundnessBound.detectionProbability(0.2, 10))
        .isGreaterThan(SoundnessBound.detectionProbability(0.1, 10));
  }

  @Test
  void shouldRequireTheStakeThatMakesOneFabricatedStepUnprofitable() {
    // p = 1: every step is caught; fabricating n of K steps gains n/K of the round's value,
    // so the worst case is n = K and the stake must cover the whole round at 50% slash...
    BigInteger gross = SoundnessBound.minimumStake(1.0, 10, BigInteger.valueOf(1000), 5_000, 0);
    assertThat(gross).isEqualTo(BigInteger.valueOf(2000));
    // ...net of what a cheater gets back by reporting itself first (half of its own slash)
    BigInteger stake = SoundnessBound.minimumStake(1.0, 10, BigInteger.valueOf(1000), 5_000);
    assertThat(stake).isEqualTo(BigInteger.valueOf(4000));
    BigInteger lowRate = SoundnessBound.minimumStake(0.05, 10, BigInteger.valueOf(1000), 5_000);
    assertThat(lowRate).isGreaterThan(stake);
  }

  @Test
  void shouldRejectMeaninglessBounds() {
    assertThatThrownBy(() -> SoundnessBound.minimumStake(0.1, 10, BigInteger.TEN, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SoundnessBound.minimumStake(0.1, 10, BigInteger.TEN, 5_000, 10_000))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
