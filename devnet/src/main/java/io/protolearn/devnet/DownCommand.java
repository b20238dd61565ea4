package io.protolearn.devnet;

import io.protolearn.chain.local.AnvilNode;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Stops the devnet's node by the pid it recorded. */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = "Stop the local chain started by `up`.")
final class DownCommand implements Callable<Integer> {
  @Mixin DevnetFiles files;

  @Override
  public Integer call() throws Exception {
    Optional<Long> pid = files.runningPid();
    if (pid.isEmpty()) {
      Files.deleteIfExists(files.pidFile());
      System.out.println("devnet: no running chain");
      return 0;
    }
    AnvilNode.stopPid(pid.get());
    Files.deleteIfExists(files.pidFile());
    System.out.println("devnet down (stopped pid " + pid.get() + ")");
    return 0;
  }
}
