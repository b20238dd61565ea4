package io.protolearn.node.store;

import java.nio.file.Path;

/**
 * A child process for the crash test: writes rounds forever, printing "SEALED r" after each round's
 * synced seal, until it is killed.
 */
public final class StoreCrashChild {
  private StoreCrashChild() {}

  public static void main(String[] args) {
    StepStore store = StepStore.open(Path.of(args[0]), new StoreConfig(1000));
    for (long round = 0; ; round++) {
      StepStoreTest.writeRound(store, round);
      store.sealRound(1, round, 0, 0, StepStoreTest.STEPS);
      System.out.println("SEALED " + round);
      System.out.flush();
      // the next round's writes are under way when the parent kills this process
      StepStoreTest.writeRound(store, round + 1_000_000);
    }
  }
}
