package io.protolearn.training.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.testing.ChildJvm;
import java.time.Duration;
import java.util.Map;
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
    ChildJvm.Output child =
        ChildJvm.of(GcPressureRecompute.class)
            .jvmArgs("-Xmx48m", "-XX:+UseSerialGC")
            .args("200")
            .env(Map.of("MALLOC_PERTURB_", "165"))
            .run(Duration.ofSeconds(300));
    assertThat(child.text()).as(child.text()).contains("checks 800 failures 0");
    assertThat(child.code()).as(child.text()).isZero();
  }
}
