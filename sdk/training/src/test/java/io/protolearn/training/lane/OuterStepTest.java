package io.protolearn.training.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.training.lane.OuterStep.OuterState;
import io.protolearn.training.spec.TrainSpec;
import io.protolearn.training.tensor.HostTensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The outer step's clipping (DESIGN §7 v2) against a poisoner that scales its update. */
class OuterStepTest {
  private static final OuterStep OUTER = new OuterStep(TrainSpec.DEFAULT);
  private static final OuterState BASE =
      OuterState.initial(List.of(HostTensor.of(new float[] {1f, 1f, 1f, 1f}, 2, 2)));

  private static List<HostTensor> delta(float a, float b, float c, float d) {
    return List.of(HostTensor.of(new float[] {a, b, c, d}, 2, 2));
  }

  private static float maxMove(OuterState s) {
    float m = 0;
    float[] p = s.params().get(0).floats();
    for (float x : p) {
      m = Math.max(m, Math.abs(x - 1f));
    }
    return m;
  }

  @Test
  void shouldBoundWhatAScaledUpdateMovesTheModel() {
    List<HostTensor> h1 = delta(0.01f, -0.02f, 0.01f, 0f);
    List<HostTensor> h2 = delta(0.02f, -0.01f, 0f, 0.01f);
    List<HostTensor> h3 = delta(0f, -0.01f, 0.02f, 0.01f);
    List<HostTensor> poison = delta(1000f, 1000f, -1000f, 1000f);
    OuterState honest = OUTER.apply(BASE, List.of(h1, h2, h3));
    OuterState poisoned = OUTER.apply(BASE, List.of(h1, poison, h2, h3));
    // unclipped, the poisoner would move a parameter by lr × 1000 / 4 = 175; clipped, by at most
    // lr × 4 × the median honest norm / 4
    assertThat(maxMove(poisoned)).isLessThan(0.05f);
    assertThat(maxMove(honest)).isPositive();
    // the poisoner's delta was scaled to exactly 4 × the lower-median norm
    List<List<HostTensor>> clipped = OuterStep.clipped(List.of(h1, poison, h2, h3));
    double median = OuterStep.norm(h1); // norms: h1 = h2 = h3 = sqrt(6e-4)
    assertThat(OuterStep.norm(clipped.get(1)))
        .isCloseTo(4 * median, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(clipped.get(0)).isSameAs(h1);
  }

  @Test
  void shouldLeaveHonestSetsAndASingleDeltaAlone() {
    List<HostTensor> h1 = delta(0.01f, -0.02f, 0.01f, 0f);
    List<HostTensor> h2 = delta(0.03f, -0.03f, 0.02f, 0.01f);
    assertThat(OuterStep.clipped(List.of(h1, h2))).containsExactly(h1, h2);
    List<HostTensor> alone = delta(5f, 5f, 5f, 5f);
    assertThat(OuterStep.clipped(List.of(alone))).containsExactly(alone);
  }

  @Test
  void shouldNeedAMajorityOfLanesToRaiseTheLimit() {
    // two poisoners of five lanes: the lower median is still an honest norm
    List<HostTensor> h = delta(0.01f, 0.01f, 0.01f, 0.01f);
    List<HostTensor> p = delta(100f, 100f, 100f, 100f);
    List<List<HostTensor>> c = OuterStep.clipped(List.of(h, p, h, p, h));
    assertThat(OuterStep.norm(c.get(1)))
        .isCloseTo(4 * OuterStep.norm(h), org.assertj.core.data.Offset.offset(1e-6));
    assertThat(OuterStep.norm(c.get(3)))
        .isCloseTo(4 * OuterStep.norm(h), org.assertj.core.data.Offset.offset(1e-6));
  }
}
