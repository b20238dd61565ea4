package io.protolearn.devnet.demo;

import io.protolearn.chain.files.DurableFiles;
import io.protolearn.training.spec.CanonicalJson;
import io.protolearn.training.spec.RunSpecs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The demo folder: cleared when a previous demo left it, refused when it holds anything else; the
 * run's spec documents and the nodes' password file.
 */
public final class DemoFolder {
  public static final String MARKER = ".protolearn-demo";

  private DemoFolder() {}

  /** An empty folder, or one a previous demo left (cleared); anything else is refused. */
  public static void prepare(Path dir) throws IOException {
    if (Files.exists(dir)) {
      boolean empty;
      try (Stream<Path> s = Files.list(dir)) {
        empty = s.findAny().isEmpty();
      }
      if (!empty && !Files.exists(dir.resolve(MARKER))) {
        throw new IllegalArgumentException(
            dir + " is not empty and not a demo folder; pick another --dir");
      }
      Path pid = dir.resolve("anvil.pid");
      if (Files.exists(pid)) {
        try {
          long old = Long.parseLong(Files.readString(pid).trim());
          if (ProcessHandle.of(old).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalStateException(
                "a demo seems to be running in " + dir + " (chain pid " + old + ")");
          }
        } catch (NumberFormatException ignored) {
          // stale
        }
      }
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          if (!p.equals(dir)) {
            Files.delete(p);
          }
        }
      }
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(MARKER), "a folder of `bin/devnet demo`; cleared by the next\n");
  }

  /** The run's model, data and train documents, as the validators read them ({@code --specs}). */
  public static Path writeSpecs(Path dir, RunSpecs specs) throws IOException {
    Path d = Files.createDirectories(dir.resolve("specs"));
    Files.writeString(d.resolve("model.json"), CanonicalJson.toJson(specs.model()));
    Files.writeString(d.resolve("data.json"), CanonicalJson.toJson(specs.data()));
    Files.writeString(d.resolve("train.json"), CanonicalJson.toJson(specs.train()));
    return d;
  }

  /** The password of every demo keystore. */
  public static Path writePassword(Path dir) throws IOException {
    Path password = dir.resolve("password");
    DurableFiles.writeSecret(password, "protolearn demo\n".getBytes(StandardCharsets.UTF_8));
    return password;
  }
}
