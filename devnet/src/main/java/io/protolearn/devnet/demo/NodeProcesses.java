package io.protolearn.devnet.demo;

import io.protolearn.training.spec.RunSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts miner and validator nodes as their own {@code java} processes, the way an operator runs
 * them ({@code MinerCommand run}, {@code ValidatorCommand run}), with the run's reproducibility
 * profile in their environment, and stops each by its pid.
 */
public final class NodeProcesses implements AutoCloseable {
  /** A started node: its name, process and log. */
  public record Child(String name, Process process, Path log) {}

  private final String classpath;
  private final List<Child> children = new ArrayList<>();
  private final Map<String, List<String>> commands = new java.util.HashMap<>();
  private final Map<String, Integer> argsFrom = new java.util.HashMap<>();

  public NodeProcesses() {
    this(defaultClasspath());
  }

  public NodeProcesses(String classpath) {
    this.classpath = classpath;
  }

  /**
   * The classpath of this JVM: the launcher's {@code target/classes:target/lib/*} (the build runs
   * the demo's tests with their class path on the command line, so it is theirs there too).
   */
  public static String defaultClasspath() {
    return System.getProperty("java.class.path");
  }

  /** Starts {@code mainClass args...} with output to {@code log}. */
  public Child start(String name, String mainClass, List<String> args, Path log, String heap)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dai.djl.offline=true");
    String root = System.getProperty("protolearn.root");
    if (root != null) {
      cmd.add("-Dprotolearn.root=" + root);
    }
    cmd.add("-Xmx" + heap);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    argsFrom.put(name, cmd.size());
    cmd.addAll(args);
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    profileEnv(pb.environment());
    Child c = new Child(name, pb.start(), log);
    children.add(c);
    commands.put(name, cmd);
    return c;
  }

  /**
   * kill -9 of a child by its pid, then the same command again (same data folder, log appended):
   * what an operator's crashed and restarted node looks like.
   */
  public Child killAndRestart(String name) throws IOException, InterruptedException {
    kill(name);
    return restart(name);
  }

  /** kill -9 of a child by its pid, as from outside; waits until it is gone. */
  public void kill(String name) throws InterruptedException {
    Child c = child(name);
    ProcessHandle.of(c.process().pid()).ifPresent(ProcessHandle::destroyForcibly);
    c.process().waitFor(10, TimeUnit.SECONDS);
  }

  /** Starts an exited child's command again: same data folder, its log appended. */
  public Child restart(String name) throws IOException {
    return restart(name, commands.get(name).subList(argsFrom.get(name), commands.get(name).size()));
  }

  /** Starts an exited child's main class again with other arguments, its log appended. */
  public Child restart(String name, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(commands.get(name).subList(0, argsFrom.get(name)));
    cmd.addAll(args);
    commands.put(name, cmd);
    Child old = child(name);
    if (old.process().isAlive()) {
      throw new IllegalStateException(name + " is still running");
    }
    ProcessBuilder pb = new ProcessBuilder(commands.get(name)).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(old.log().toFile()));
    profileEnv(pb.environment());
    Child c = new Child(name, pb.start(), old.log());
    children.set(children.indexOf(old), c);
    return c;
  }

  /** The child of that name (its latest process). */
  public Child child(String name) {
    return children.stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no child named " + name));
  }

  /**
   * The run's reproducibility profile, as bin/lib/launcher.sh and the build's test runner set it.
   */
  static void profileEnv(Map<String, String> env) {
    var profile = RunSpecs.devnet().train().profile();
    env.put("OMP_WAIT_POLICY", "PASSIVE");
    env.put("MKL_CBWR", profile.mklCbwr());
    env.put("ATEN_CPU_CAPABILITY", profile.atenCpuCapability());
    env.put("OMP_NUM_THREADS", Integer.toString(profile.threads()));
    String cache = System.getenv("DJL_CACHE_DIR");
    if (cache != null) {
      env.put("DJL_CACHE_DIR", cache);
    }
  }

  /**
   * Waits until the child's log holds {@code text} (its "up" line); fails if it exits first or the
   * time runs out.
   */
  public static void awaitLog(Child c, String text, Duration timeout)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!(Files.exists(c.log()) && Files.readString(c.log()).contains(text))) {
      if (!c.process().isAlive()) {
        throw new IllegalStateException(
            c.name() + " exited before it was up; the end of its log:\n" + tail(c, 30));
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException(
            c.name() + " was not up after " + timeout.toSeconds() + " s; see " + c.log());
      }
      Thread.sleep(100);
    }
  }

  public List<Child> children() {
    return List.copyOf(children);
  }

  /** The first child that has exited, if any. */
  public java.util.Optional<Child> firstDead() {
    return children.stream().filter(c -> !c.process().isAlive()).findFirst();
  }

  /** The last {@code lines} lines of a child's log. */
  public static String tail(Child c, int lines) {
    try {
      List<String> all = Files.exists(c.log()) ? Files.readAllLines(c.log()) : List.of();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + c.log() + ": " + e + ")";
    }
  }

  /** Stops every child by its pid: a polite TERM, then KILL after a few seconds. */
  @Override
  public void close() {
    for (Child c : children) {
      ProcessHandle.of(c.process().pid()).ifPresent(ProcessHandle::destroy);
    }
    for (Child c : children) {
      try {
        if (!c.process().waitFor(5, TimeUnit.SECONDS)) {
          ProcessHandle.of(c.process().pid()).ifPresent(ProcessHandle::destroyForcibly);
          c.process().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        c.process().destroyForcibly();
      }
    }
  }
}
