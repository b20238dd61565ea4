package io.protolearn.devnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where a devnet keeps its state: deployment file, node pid and log. */
public final class DevnetFiles {
  @Option(
      names = "--dir",
      defaultValue = "${env:PROTOLEARN_DEVNET_DIR:-.devnet}",
      description = "Devnet state folder (default: ${DEFAULT-VALUE}).")
  Path dir;

  public Path deployment() {
    return dir.resolve("deployment.json");
  }

  public Path pidFile() {
    return dir.resolve("anvil.pid");
  }

  public Path log() {
    return dir.resolve("anvil.log");
  }

  /** The pid of a running devnet node, if the pid file names a live anvil process. */
  public Optional<Long> runningPid() throws IOException {
    if (!Files.exists(pidFile())) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile()).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(h -> h.info().command().map(c -> c.contains("anvil")).orElse(true))
        .map(ProcessHandle::pid);
  }
}
