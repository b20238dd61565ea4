package io.protolearn.training.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.protolearn.training.Fixtures;
import io.protolearn.training.model.ParamLayout;
import io.protolearn.training.model.TrainingEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecTest {

  @Test
  void shouldWriteCanonicalJsonWithSortedKeysAndNoSpaces() {
    String json = CanonicalJson.toJson(Fixtures.TINY);
    assertThat(json)
        .isEqualTo(
            "{\"contextLength\":16,\"dModel\":32,\"heads\":2,\"layers\":2,\"mlpHidden\":64,"
                + "\"stageLayers\":[1,1],\"vocabSize\":256}");
    assertThat(CanonicalJson.toJson(TrainSpec.DEFAULT))
        .doesNotContain(" ")
        .contains("\"profile\":{\"atenCpuCapability\":\"default\"");
  }

  @Test
  void shouldRoundTripEverySpecToTheSameHash() {
    for (Object spec : List.of(ModelSpec.DEFAULT, TrainSpec.DEFAULT, Fixtures.DATA)) {
      Object again = CanonicalJson.fromJson(CanonicalJson.toJson(spec), spec.getClass());
      assertThat(again).isEqualTo(spec);
      assertThat(CanonicalJson.sha256(again)).isEqualTo(CanonicalJson.sha256(spec));
    }
    assertThat(ModelSpec.DEFAULT.hash()).isNotEqualTo(Fixtures.TINY.hash());
  }

  @Test
  void shouldSizeTheDefaultModelForATwoCoreCpu() {
    assertThat(ParamLayout.totalSize(ModelSpec.DEFAULT)).isBetween(800_000L, 1_300_000L);
    assertThat(ParamLayout.totalSize(ModelSpec.DEFAULT.singleStage()))
        .isEqualTo(ParamLayout.totalSize(ModelSpec.DEFAULT));
  }

  @Test
  void shouldRejectStagesThatDoNotCoverTheLayers() {
    assertThatThrownBy(() -> new ModelSpec(256, 32, 3, 2, 16, 64, List.of(1, 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldReportAProfileMismatch() {
    assertThat(TrainingEngine.start(ReproProfile.CPU_DEFAULT).matches()).isTrue();
    TrainingEngine.ProfileCheck check =
        TrainingEngine.start(ReproProfile.CPU_DEFAULT.withThreads(3));
    assertThat(check.matches()).isFalse();
    assertThat(check.mismatches()).anySatisfy(m -> assertThat(m).startsWith("threads is 1"));
    assertThatThrownBy(() -> TrainingEngine.startStrict(ReproProfile.CPU_DEFAULT.withThreads(3)))
        .isInstanceOf(IllegalStateException.class);
  }
}
