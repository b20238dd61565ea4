package io.protolearn.chain.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The port anvil bound, read from the line it prints once it listens. */
final class BoundPort {
  private static final Pattern LISTENING = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+)");

  private BoundPort() {}

  static Optional<Integer> parse(String line) {
    Matcher m = LISTENING.matcher(line);
    return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  /**
   * Reads the process's output until it names its port; the rest of the output is read and dropped
   * by a daemon thread, so the process never blocks on a full pipe.
   */
  static int fromOutput(Process process, Duration timeout) throws IOException {
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              StringBuilder seen = new StringBuilder();
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (!port.isDone()) {
                    seen.append(line).append('\n');
                    parse(line).ifPresent(port::complete);
                  }
                }
              } catch (IOException e) {
                // the process is gone
              }
              port.completeExceptionally(
                  new IOException("anvil ended before it named its port:\n" + seen));
            },
            "anvil-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    try {
      return port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("anvil did not name its port within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for anvil", e);
    }
  }

  /** Reads {@code log}, where the process writes its output, until the process names its port. */
  static int fromLog(Process process, Path log, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean alive = process.isAlive();
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      for (String line : lines) {
        Optional<Integer> port = parse(line);
        if (port.isPresent()) {
          return port.get();
        }
      }
      if (!alive) {
        throw new IOException(
            "anvil exited with code "
                + process.exitValue()
                + " before it named its port:\n"
                + String.join("\n", lines));
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for anvil", e);
      }
    }
    throw new IOException("anvil did not name its port in " + log + " within " + timeout);
  }
}
