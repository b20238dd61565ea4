package io.protolearn.training.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.training.Fixtures;
import io.protolearn.training.model.StageState;
import io.protolearn.training.model.StageTrainer;
import io.protolearn.training.tensor.HostTensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StageRunnerTest {
  private static final RoundContext CTX = new RoundContext(Fixtures.RUN_ID, 0, Fixtures.DOMAIN);
  private static final int K = Fixtures.TRAIN.innerSteps();
  private static final List<Secp256k1.KeyPair> KEYS = Fixtures.lanes(1, 2).get(0);
  private static final List<Address> MEMBERS =
      KEYS.stream().map(Secp256k1.KeyPair::address).toList();

  private static final List<StageTrainer> trainers = new ArrayList<>();
  private static final ExecutorService stages = Executors.newFixedThreadPool(2);

  @BeforeAll
  static void trainers() {
    for (int s = 0; s < 2; s++) {
      trainers.add(new StageTrainer(Fixtures.TINY, Fixtures.TRAIN, s));
    }
  }

  @AfterAll
  static void close() {
    stages.shutdownNow();
    trainers.forEach(StageTrainer::close);
  }

  /** Counts the steps each stage sealed its round with. */
  private static final class Seals implements StepSink {
    final Map<Integer, Integer> steps = new ConcurrentHashMap<>();

    @Override
    public void roundEnd(RoundContext ctx, int stage, int lane, int count) {
      steps.put(stage, count);
    }
  }

  private static List<StageRunner.Result> runLane(LaneTransport transport, StepSink sink)
      throws Exception {
    List<Future<StageRunner.Result>> futures = new ArrayList<>();
    for (int s = 0; s < 2; s++) {
      StageRunner runner =
          new StageRunner(
              trainers.get(s),
              s,
              Fixtures.TRAIN,
              Fixtures.CORPUS,
              KEYS.get(s),
              sink,
              StepStrategy.HONEST);
      List<HostTensor> base =
          StageState.initialParams(trainers.get(s).layout(), Fixtures.TRAIN.seed());
      futures.add(
          stages.submit(
              () ->
                  runner.run(CTX, 0, MEMBERS, base, K, transport, StageRunner.StepListener.NONE)));
    }
    List<StageRunner.Result> results = new ArrayList<>();
    for (Future<StageRunner.Result> f : futures) {
      results.add(f.get());
    }
    return results;
  }

  @Test
  void shouldEndTheRoundWithTheStepsDoneWhenAPeerGoesSilent() throws Exception {
    List<StageRunner.Result> full = runLane(new InMemoryLaneTransport(), StepSink.NONE);
    InMemoryLaneTransport inner = new InMemoryLaneTransport(Duration.ofSeconds(5));
    LaneTransport silentAfterStep1 =
        new LaneTransport() {
          @Override
          public void send(SignedTensor message, Address to) {
            var h = message.header();
            if (h.fromStage() == 1 && h.step() >= 2) {
              return; // the last stage's gradients from step 2 on never arrive
            }
            inner.send(message, to);
          }

          @Override
          public SignedTensor await(MessageKey key, Address from) {
            return inner.await(key, from);
          }
        };
    Seals seals = new Seals();

    List<StageRunner.Result> cut = runLane(silentAfterStep1, seals);

    StageRunner.Result stage0 = cut.get(0);
    assertThat(stage0.stepCount()).isEqualTo(2);
    assertThat(stage0.failure()).hasValueSatisfying(f -> assertThat(f).contains("sent nothing"));
    assertThat(stage0.leaves()).isEqualTo(full.get(0).leaves().subList(0, 2));
    assertThat(stage0.end().paramsHash()).isEqualTo(full.get(0).leaves().get(1).paramsAfterHash());
    assertThat(stage0.tree().leaves()).isEqualTo(stage0.leaves());
    assertThat(cut.get(1).stepCount()).isEqualTo(3);
    assertThat(seals.steps).containsEntry(0, 2).containsEntry(1, 3);
  }
}
