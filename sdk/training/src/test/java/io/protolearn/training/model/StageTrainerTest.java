package io.protolearn.training.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.training.Fixtures;
import io.protolearn.training.data.Batch;
import io.protolearn.training.tensor.HostTensor;
import org.junit.jupiter.api.Test;

class StageTrainerTest {

  @Test
  void shouldGiveIdenticalBytesWhenTheSameStepRunsTwice() {
    try (StageTrainer s0 = new StageTrainer(Fixtures.TINY, Fixtures.TRAIN, 0);
        StageTrainer s1 = new StageTrainer(Fixtures.TINY, Fixtures.TRAIN, 1)) {
      Batch batch = Fixtures.CORPUS.batch(1, 0, 0, Address.ZERO, 0, 2, 16);
      StageState st0 = StageState.fresh(StageState.initialParams(s0.layout(), 42));
      StageState st1 = StageState.fresh(StageState.initialParams(s1.layout(), 42));
      HostTensor act = s0.forward(st0, batch.inputs());
      StepOutputs last = s1.step(st1, act, batch.labels());
      StepOutputs again = s1.step(st1, act, batch.labels());
      assertThat(last.loss()).isBetween(5.0f, 6.0f);
      assertThat(again.after().paramsHash()).isEqualTo(last.after().paramsHash());
      assertThat(again.paramGradHash()).isEqualTo(last.paramGradHash());
      StepOutputs first = s0.step(st0, batch.inputs(), last.inputGrad());
      assertThat(first.outputHash())
          .isEqualTo(new StepOutputs(act, null, java.util.List.of(), st0, 0).outputHash());
      assertThat(first.inputGradHash()).isEqualTo(io.protolearn.protocol.crypto.Bytes32.ZERO);
      assertThat(first.after().paramsHash()).isNotEqualTo(st0.paramsHash());
    }
  }
}
