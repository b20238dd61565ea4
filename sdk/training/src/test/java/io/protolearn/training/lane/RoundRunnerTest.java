package io.protolearn.training.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.training.Fixtures;
import io.protolearn.training.data.Batch;
import io.protolearn.training.spec.ModelSpec;
import io.protolearn.training.spec.TrainSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoundRunnerTest {

  @Test
  void shouldDecreaseHeldOutLossOverRoundsWithTwoStagesAndTwoLanes() {
    ModelSpec model = new ModelSpec(256, 48, 2, 2, 32, 96, List.of(1, 1));
    TrainSpec train = TrainSpec.DEFAULT.withSchedule(10, 4, 5);
    List<Batch> heldOut = Fixtures.CORPUS.heldOut(4, 4, 32);
    List<Double> losses = new ArrayList<>();
    try (RoundRunner runner = Fixtures.runner(model, train, 2)) {
      losses.add(runner.evalLoss(heldOut));
      for (int round = 0; round < 4; round++) {
        RoundRunner.RoundOutcome outcome = runner.runRound(round, Set.of());
        assertThat(outcome.lanes()).hasSize(2);
        assertThat(outcome.lanes().get(0)).hasSize(2);
        losses.add(runner.evalLoss(heldOut));
      }
    }
    for (int i = 1; i < losses.size(); i++) {
      assertThat(losses.get(i)).as("held-out losses %s", losses).isLessThan(losses.get(i - 1));
    }
    assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0) * 0.75);
  }

  @Test
  void shouldCommitLeavesThatChainAndStartFromTheBase() {
    try (RoundRunner runner = Fixtures.runner(Fixtures.TINY, Fixtures.TRAIN, 2)) {
      var base = runner.bases();
      RoundRunner.RoundOutcome outcome = runner.runRound(0, Set.of());
      for (List<StageRoundResult> lane : outcome.lanes()) {
        for (StageRoundResult r : lane) {
          var leaves = r.tree().leaves();
          assertThat(leaves).hasSize(Fixtures.TRAIN.innerSteps());
          assertThat(leaves.get(0).paramsBeforeHash()).isEqualTo(base.get(r.stage()).baseHash());
          assertThat(r.baseHash()).isEqualTo(base.get(r.stage()).baseHash());
          for (int i = 1; i < leaves.size(); i++) {
            assertThat(leaves.get(i).paramsBeforeHash())
                .isEqualTo(leaves.get(i - 1).paramsAfterHash());
          }
          assertThat(leaves.get(leaves.size() - 1).paramsAfterHash())
              .isEqualTo(r.end().paramsHash());
        }
      }
      // lanes train on different data
      assertThat(outcome.lanes().get(0).get(0).tree().leaves().get(0).inputHash())
          .isNotEqualTo(outcome.lanes().get(1).get(0).tree().leaves().get(0).inputHash());
    }
  }

  @Test
  void shouldAggregateOnlyAcceptedLanesDeterministically() {
    OuterStep outer = new OuterStep(Fixtures.TRAIN);
    try (RoundRunner a = Fixtures.runner(Fixtures.TINY, Fixtures.TRAIN, 2);
        RoundRunner b = Fixtures.runner(Fixtures.TINY, Fixtures.TRAIN, 2)) {
      var base = a.bases();
      RoundRunner.RoundOutcome all = a.runRound(0, Set.of());
      RoundRunner.RoundOutcome onlyLane0 = b.runRound(0, Set.of(1));
      for (int s = 0; s < 2; s++) {
        var expectedAll =
            outer.apply(
                base.get(s),
                List.of(all.lanes().get(0).get(s).delta(), all.lanes().get(1).get(s).delta()));
        assertThat(all.nextBases().get(s).baseHash()).isEqualTo(expectedAll.baseHash());
        var expected0 = outer.apply(base.get(s), List.of(onlyLane0.lanes().get(0).get(s).delta()));
        assertThat(onlyLane0.nextBases().get(s).baseHash()).isEqualTo(expected0.baseHash());
        assertThat(expected0.baseHash()).isNotEqualTo(expectedAll.baseHash());
      }
    }
  }
}
