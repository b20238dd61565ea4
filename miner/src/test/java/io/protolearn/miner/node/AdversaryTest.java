package io.protolearn.miner.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.protolearn.cli.UserException;
import io.protolearn.miner.MinerCommand;
import io.protolearn.training.tensor.HostTensor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdversaryTest {

  @Test
  void shouldBeHonestWithoutAFlag() {
    Adversary a = Adversary.parse(null);
    assertThat(a).isSameAs(Adversary.HONEST);
    assertThat(a.skips(0)).isFalse();
    assertThat(a.servesValidators()).isTrue();
    assertThat(a.copiesCommitment()).isFalse();
    assertThat(a.aggregates()).isTrue();
    HostTensor t = HostTensor.of(new float[] {1, 2}, 2);
    assertThat(a.outgoingActivations(t)).isSameAs(t);
  }

  @Test
  void shouldSkipTheGivenFractionOfStepsEvenlySpread() {
    Adversary half = Adversary.parse("lazy:0.5");
    assertThat(IntStream.range(0, 4).filter(half::skips).boxed()).containsExactly(1, 3);
    assertThat(IntStream.range(0, 16).filter(Adversary.parse("lazy:0.25")::skips).count())
        .isEqualTo(4);
    assertThat(IntStream.range(0, 4).allMatch(Adversary.parse("lazy:1")::skips)).isTrue();
    assertThat(Adversary.parse("lazy")).isEqualTo(half);
  }

  @Test
  void shouldSwapExactlyOneBehaviourPerKind() {
    assertThat(Adversary.parse("withholder").servesValidators()).isFalse();
    assertThat(Adversary.parse("copycat").copiesCommitment()).isTrue();
    assertThat(Adversary.parse("stale-base").aggregates()).isFalse();
    assertThat(Adversary.parse("stale-base").servesValidators()).isTrue();
    HostTensor t = HostTensor.of(new float[] {1, 2}, 2);
    HostTensor sent = Adversary.parse("corrupt-activations").outgoingActivations(t);
    assertThat(sent.sameAs(t)).isFalse();
    assertThat(sent.floats()).containsExactly(2, 2);
  }

  @Test
  void shouldRejectBadKindsWithOneLine() {
    assertThatThrownBy(() -> Adversary.parse("sloth"))
        .isInstanceOf(UserException.class)
        .hasMessageContaining("--adversary must be one of");
    for (String bad : new String[] {"lazy:0", "lazy:1.5", "lazy:x", "lazy:"}) {
      assertThatThrownBy(() -> Adversary.parse(bad))
          .as(bad)
          .isInstanceOf(UserException.class)
          .hasMessageContaining("fraction F in (0, 1]");
    }
  }

  @Test
  void shouldRefuseABadAdversaryOnTheCommandLineWithOneLine(@TempDir Path dir) {
    StringWriter err = new StringWriter();
    int code =
        MinerCommand.execute(
            Map.of(),
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "run",
            "--data-dir",
            dir.toString(),
            "--adversary",
            "lazy:2");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString().trim()).contains("fraction F in (0, 1]").doesNotContain("\n");
  }
}
