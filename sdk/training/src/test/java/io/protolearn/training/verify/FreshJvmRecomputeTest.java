package io.protolearn.training.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.testing.ChildJvm;
import io.protolearn.training.Fixtures;
import io.protolearn.training.lane.RoundRunner;
import io.protolearn.training.lane.StageRoundResult;
import io.protolearn.training.spec.CanonicalJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreshJvmRecomputeTest {

  @Test
  void shouldRecomputeAStepByteForByteInAFreshJvm(@TempDir Path dir) throws Exception {
    List<StageRoundResult> lane;
    try (RoundRunner runner = Fixtures.runner(Fixtures.TINY, Fixtures.TRAIN, 1)) {
      lane = runner.runRound(0, Set.of()).lanes().get(0);
    }
    int last = Fixtures.TRAIN.innerSteps() - 1;
    StepEvidence evidence =
        EvidenceBuilder.forStep(lane, 1, last, Fixtures.RUN_ID, 0, Fixtures.DOMAIN, null);
    Files.writeString(dir.resolve("model.json"), CanonicalJson.toJson(Fixtures.TINY));
    Files.writeString(dir.resolve("data.json"), CanonicalJson.toJson(Fixtures.DATA));
    Files.writeString(dir.resolve("train.json"), CanonicalJson.toJson(Fixtures.TRAIN));
    Files.write(dir.resolve("evidence.bin"), EvidenceCodec.encode(evidence));

    ChildJvm.Output child =
        ChildJvm.of("io.protolearn.training.tool.RecomputeTool")
            .args(dir.toString())
            .run(Duration.ofSeconds(120));
    List<String> lines = child.text().lines().toList();

    assertThat(lines).as(child.text()).contains("MATCH");
    assertThat(child.code()).isZero();
    byte[] recomputed = Files.readAllBytes(dir.resolve("recomputed-state.bin"));
    assertThat(recomputed).isEqualTo(lane.get(1).end().encode());
  }
}
