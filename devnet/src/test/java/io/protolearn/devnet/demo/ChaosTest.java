package io.protolearn.devnet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosTest {
  private static final List<String> HONEST =
      List.of("miner-1", "miner-2", "miner-3", "validator-1", "validator-2");
  private static final List<Chaos.Window> SPAN = List.of(new Chaos.Window(100, 200));

  @Test
  void shouldPlanTheSameKillsFromTheSameSeed() {
    assertThat(Chaos.plan(4, 7, HONEST, SPAN).planned())
        .isEqualTo(Chaos.plan(4, 7, HONEST, SPAN).planned())
        .isNotEqualTo(Chaos.plan(4, 8, HONEST, SPAN).planned());
  }

  @Test
  void shouldKillEveryNodeOnceBeforeAnyTwiceWithinTheBlocksGiven() {
    List<Chaos.Kill> kills = Chaos.plan(7, 1, HONEST, SPAN).planned();
    assertThat(kills).hasSize(7);
    assertThat(kills).allSatisfy(k -> assertThat(k.block()).isBetween(100L, 199L));
    assertThat(kills).isSortedAccordingTo((a, b) -> Long.compare(a.block(), b.block()));
    List<String> names = kills.stream().map(Chaos.Kill::name).toList();
    assertThat(names).containsAll(HONEST);
    assertThat(names.subList(0, HONEST.size())).doesNotHaveDuplicates();
  }

  @Test
  void shouldSpreadTheKillsOnePerSlotOfTheSpan() {
    List<Chaos.Kill> kills =
        Chaos.plan(6, 3, HONEST, List.of(new Chaos.Window(100, 220))).planned();
    for (int i = 0; i < kills.size(); i++) {
      // slots of 20 blocks; each kill in the first two thirds of its own
      assertThat(kills.get(i).block()).isBetween(100L + 20L * i, 100L + 20L * i + 13);
    }
  }

  @Test
  void shouldKillOnlyInsideTheWindowsGiven() {
    List<Chaos.Window> windows =
        List.of(new Chaos.Window(10, 16), new Chaos.Window(40, 46), new Chaos.Window(70, 76));
    List<Chaos.Kill> kills = Chaos.plan(6, 5, HONEST, windows).planned();
    assertThat(kills).hasSize(6);
    assertThat(kills)
        .allSatisfy(
            k -> assertThat(windows).anyMatch(w -> k.block() >= w.from() && k.block() < w.to()));
    // two slots of three blocks per window
    assertThat(kills.stream().filter(k -> k.block() < 16)).hasSize(2);
    assertThat(kills.stream().filter(k -> k.block() >= 70)).hasSize(2);
  }

  @Test
  void shouldHandOutEachKillOnceWhenItsBlockIsReached() {
    Chaos chaos = Chaos.plan(3, 1, HONEST, SPAN);
    List<Chaos.Kill> planned = chaos.planned();
    assertThat(chaos.due(99)).isEmpty();
    assertThat(chaos.due(planned.get(1).block())).containsExactly(planned.get(0), planned.get(1));
    assertThat(chaos.due(planned.get(1).block())).isEmpty();
    assertThat(chaos.due(1000)).containsExactly(planned.get(2));
    assertThat(chaos.done()).isEqualTo(planned);
  }

  @Test
  void shouldPlanNothingWithoutKills() {
    assertThat(Chaos.plan(0, 1, HONEST, SPAN).planned()).isEmpty();
    assertThat(Chaos.NONE.due(Long.MAX_VALUE)).isEmpty();
  }
}
