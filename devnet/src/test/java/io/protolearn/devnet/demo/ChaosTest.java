package io.protolearn.devnet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosTest {
  private static final List<String> HONEST =
      List.of("miner-1", "miner-2", "miner-3", "validator-1", "validator-2");

  @Test
  void shouldPlanTheSameKillsFromTheSameSeed() {
    assertThat(Chaos.plan(4, 7, HONEST, 100, 200).planned())
        .isEqualTo(Chaos.plan(4, 7, HONEST, 100, 200).planned())
        .isNotEqualTo(Chaos.plan(4, 8, HONEST, 100, 200).planned());
  }

  @Test
  void shouldKillEveryNodeOnceBeforeAnyTwiceWithinTheBlocksGiven() {
    List<Chaos.Kill> kills = Chaos.plan(7, 1, HONEST, 100, 200).planned();
    assertThat(kills).hasSize(7);
    assertThat(kills).allSatisfy(k -> assertThat(k.block()).isBetween(100L, 199L));
    assertThat(kills).isSortedAccordingTo((a, b) -> Long.compare(a.block(), b.block()));
    List<String> names = kills.stream().map(Chaos.Kill::name).toList();
    assertThat(names).containsAll(HONEST);
    assertThat(names.subList(0, HONEST.size())).doesNotHaveDuplicates();
  }

  @Test
  void shouldSpreadTheKillsOnePerSlotOfTheSpan() {
    List<Chaos.Kill> kills = Chaos.plan(6, 3, HONEST, 100, 220).planned();
    for (int i = 0; i < kills.size(); i++) {
      // slots of 20 blocks; each kill in the first two thirds of its own
      assertThat(kills.get(i).block()).isBetween(100L + 20L * i, 100L + 20L * i + 13);
    }
  }

  @Test
  void shouldHandOutEachKillOnceWhenItsBlockIsReached() {
    Chaos chaos = Chaos.plan(3, 1, HONEST, 100, 200);
    List<Chaos.Kill> planned = chaos.planned();
    assertThat(chaos.due(99)).isEmpty();
    assertThat(chaos.due(planned.get(1).block())).containsExactly(planned.get(0), planned.get(1));
    assertThat(chaos.due(planned.get(1).block())).isEmpty();
    assertThat(chaos.due(1000)).containsExactly(planned.get(2));
    assertThat(chaos.done()).isEqualTo(planned);
  }

  @Test
  void shouldPlanNothingWithoutKills() {
    assertThat(Chaos.plan(0, 1, HONEST, 100, 200).planned()).isEmpty();
    assertThat(Chaos.NONE.due(Long.MAX_VALUE)).isEmpty();
  }
}
