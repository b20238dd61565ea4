package io.protolearn.miner.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.miner.MinerCommand;
import io.protolearn.training.lane.OuterStep.OuterState;
import io.protolearn.training.tensor.HostTensor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code miner base}: a round's base from the node's data folder, in the outer-state encoding. */
class BaseCommandTest {
  @TempDir Path dir;

  private int base(long round, Path file, StringWriter err) {
    return MinerCommand.execute(
        Map.of(),
        new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true),
        "base",
        "--data-dir",
        dir.toString(),
        "--round",
        Long.toString(round),
        "--out",
        file.toString());
  }

  @Test
  void shouldWriteTheBaseTheNodeAggregated() throws Exception {
    OuterState state =
        new OuterState(
            List.of(HostTensor.of(new float[] {1f, 2f}, 2)),
            List.of(HostTensor.of(new float[] {0.5f, -1f}, 2)));
    new RoundJournal(dir).putBase(5, state);
    Path file = dir.resolve("base-5.bin");

    assertThat(base(5, file, new StringWriter())).isZero();

    OuterState read = OuterState.decode(Files.readAllBytes(file));
    assertThat(read.baseHash()).isEqualTo(state.baseHash());
    assertThat(read.momentumHash()).isEqualTo(state.momentumHash());
  }

  @Test
  void shouldSayNotYetWhenTheRoundHasNoBase() {
    StringWriter err = new StringWriter();
    Path file = dir.resolve("base-6.bin");
    assertThat(base(6, file, err)).isEqualTo(3);
    assertThat(err.toString()).contains("no base of round 6 yet");
    assertThat(file).doesNotExist();
  }
}
