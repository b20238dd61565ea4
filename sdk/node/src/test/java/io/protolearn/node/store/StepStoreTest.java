package io.protolearn.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepStoreTest {
  static final int STEPS = 6;
  static final int INTERVAL = 2;

  /** Deterministic content so a reopened store can be checked byte for byte. */
  static byte[] value(String what, long round, int step, int size) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) (what.hashCode() + round * 31 + step));
    return b;
  }

  static void writeRound(StepStore store, long round) {
    for (int step = 0; step < STEPS; step++) {
      StepKey key = new StepKey(1, round, 0, 0, step);
      if (step % INTERVAL == 0) {
        store.putCheckpoint(key, value("cp", round, step, 4096));
      }
      store.putArtifact(key, StepStore.ArtifactKind.INPUT, value("in", round, step, 1024));
      store.putArtifact(key, StepStore.ArtifactKind.UPSTREAM, value("up", round, step, 1024));
      store.putLeaf(key, value("leaf", round, step, 448));
    }
  }

  static void assertRoundIntact(StepStore store, long round) {
    assertThat(store.sealedStepCount(1, round, 0, 0)).contains(STEPS);
    var leaves = store.leaves(1, round, 0, 0);
    assertThat(leaves).hasSize(STEPS);
    for (int step = 0; step < STEPS; step++) {
      StepKey key = new StepKey(1, round, 0, 0, step);
      assertThat(leaves.get(step)).isEqualTo(value("leaf", round, step, 448));
      assertThat(store.artifact(key, StepStore.ArtifactKind.INPUT).orElseThrow())
          .isEqualTo(value("in", round, step, 1024));
      var cp = store.checkpointAtOrBefore(key).orElseThrow();
      assertThat(cp.getKey()).isEqualTo(step - step % INTERVAL);
      assertThat(cp.getValue()).isEqualTo(value("cp", round, cp.getKey(), 4096));
    }
  }

  @Test
  void shouldFindTheNearestCheckpointAndEveryLeafOfARound(@TempDir Path dir) {
    try (StepStore store = StepStore.open(dir, StoreConfig.DEFAULT)) {
      writeRound(store, 3);
      store.sealRound(1, 3, 0, 0, STEPS);
      assertRoundIntact(store, 3);
      assertThat(store.checkpointAtOrBefore(new StepKey(1, 3, 1, 0, 5))).isEmpty();
      assertThat(store.sealedStepCount(1, 4, 0, 0)).isEmpty();
    }
  }

  @Test
  void shouldPruneRoundsOutsideTheRetentionWindow(@TempDir Path dir) {
    try (StepStore store = StepStore.open(dir, new StoreConfig(2))) {
      for (long round = 0; round < 4; round++) {
        writeRound(store, round);
        store.sealRound(1, round, 0, 0, STEPS);
      }
      store.prune(1, 3);
      assertThat(store.leaves(1, 0, 0, 0)).isEmpty();
      assertThat(store.leaves(1, 1, 0, 0)).isEmpty();
      assertThat(store.sealedStepCount(1, 1, 0, 0)).isEmpty();
      assertRoundIntact(store, 2);
      assertRoundIntact(store, 3);
    }
  }

  @Test
  void shouldFindEverySealedRoundIntactAfterTheProcessIsKilled(@TempDir Path dir) throws Exception {
    Process child = ChildJvm.of(StoreCrashChild.class).args(dir.toString()).start();
    long lastSealed = -1;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("SEALED ")) {
          lastSealed = Long.parseLong(line.substring(7));
          if (lastSealed == 2) {
            break;
          }
        }
      }
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(lastSealed).isEqualTo(2);
    try (StepStore store = StepStore.open(dir, StoreConfig.DEFAULT)) {
      for (long round = 0; round <= lastSealed; round++) {
        assertRoundIntact(store, round);
      }
    }
  }
}
