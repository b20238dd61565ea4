package io.protolearn.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A main class run in a child JVM on this test's classpath, with the run's reproducibility profile
 * in its environment (one thread, strict MKL, default ATen kernels, DJL offline), as the launchers
 * and the build's test plugins set it. Standard error is merged into standard output, which goes to
 * a log file when one is given and is readable from the process otherwise.
 */
public final class ChildJvm {
  /** What a child that ran to its end printed, and its exit code. */
  public record Output(int code, String text) {}

  private final String mainClass;
  private final List<String> jvmArgs = new ArrayList<>(List.of("-Dai.djl.offline=true"));
  private final List<String> args = new ArrayList<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private Path log;

  private ChildJvm(String mainClass) {
    this.mainClass = mainClass;
    env.put("OMP_NUM_THREADS", "1");
    env.put("MKL_CBWR", "COMPATIBLE,STRICT");
    env.put("ATEN_CPU_CAPABILITY", "default");
    env.put("OMP_WAIT_POLICY", "PASSIVE");
  }

  public static ChildJvm of(Class<?> mainClass) {
    return new ChildJvm(mainClass.getName());
  }

  public static ChildJvm of(String mainClass) {
    return new ChildJvm(mainClass);
  }

  public ChildJvm jvmArgs(String... more) {
    jvmArgs.addAll(List.of(more));
    return this;
  }

  public ChildJvm args(String... more) {
    args.addAll(List.of(more));
    return this;
  }

  public ChildJvm args(List<String> more) {
    args.addAll(more);
    return this;
  }

  /** Sets (or overrides) environment variables of the child. */
  public ChildJvm env(Map<String, String> vars) {
    env.putAll(vars);
    return this;
  }

  /** Appends the child's output to {@code file} instead of piping it to this JVM. */
  public ChildJvm logTo(Path file) {
    this.log = file;
    return this;
  }

  public Process start() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    try {
      if (log != null) {
        Files.createDirectories(log.toAbsolutePath().getParent());
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      }
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the child to its end; kills it and fails if it takes longer than {@code timeout}. */
  public Output run(Duration timeout) throws InterruptedException {
    if (log != null) {
      throw new IllegalStateException("run() reads the output: no log file");
    }
    Process p = start();
    CompletableFuture<String> text =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(mainClass + " did not end within " + timeout + ":\n" + text.join());
    }
    return new Output(p.exitValue(), text.join());
  }
}
