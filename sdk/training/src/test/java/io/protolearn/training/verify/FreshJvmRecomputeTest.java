package io.protolearn.training.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.training.Fixtures;
import io.protolearn.training.lane.RoundRunner;
import io.protolearn.training.lane.StageRoundResult;
import io.protolearn.training.spec.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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

    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                "io.protolearn.training.tool.RecomputeTool",
                dir.toString())
            .redirectErrorStream(true);
    pb.environment()
        .putAll(
            Map.of(
                "OMP_NUM_THREADS", "1",
                "MKL_CBWR", "COMPATIBLE,STRICT",
                "ATEN_CPU_CAPABILITY", "default",
                "OMP_WAIT_POLICY", "PASSIVE"));
    Process child = pb.start();
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    List<String> lines = output.lines().toList();

    assertThat(lines).as(output).contains("MATCH");
    assertThat(child.exitValue()).isZero();
    byte[] recomputed = Files.readAllBytes(dir.resolve("recomputed-state.bin"));
    assertThat(recomputed).isEqualTo(lane.get(1).end().encode());
  }
}
