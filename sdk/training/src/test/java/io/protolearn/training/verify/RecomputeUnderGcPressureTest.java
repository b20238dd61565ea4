package io.protolearn.training.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A step must recompute to the same bits however the JVM's memory is managed. A constant that DJL
 * kept in a Java direct buffer and freed while autograd still held it made about one check in a
 * hundred mismatch under this process's conditions (48 MiB heap, serial collector, freed native
 * memory overwritten by glibc's MALLOC_PERTURB_); see StageModel.scalar.
 */
class RecomputeUnderGcPressureTest {

  @Test
  void shouldRecomputeEveryCheckedStepExactlyWhileTheCollectorRunsOften() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m",
                "-XX:+UseSerialGC",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                GcPressureRecompute.class.getName(),
                "200")
            .redirectErrorStream(true);
    pb.environment()
        .putAll(
            Map.of(
                "OMP_NUM_THREADS", "1",
                "MKL_CBWR", "COMPATIBLE,STRICT",
                "ATEN_CPU_CAPABILITY", "default",
                "OMP_WAIT_POLICY", "PASSIVE",
                "MALLOC_PERTURB_", "165"));
    Process child = pb.start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(output).as(output).contains("checks 800 failures 0");
    assertThat(child.exitValue()).as(output).isZero();
  }
}
