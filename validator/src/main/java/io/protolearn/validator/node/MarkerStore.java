package io.protolearn.validator.node;

import io.protolearn.chain.files.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Durable markers of the validator's one-shot actions (attest, challenge, fraud proof, vote salt,
 * reveal, resolve): one small file per key, written by {@link DurableFiles} (temporary file, fsync,
 * atomic rename, fsync of the folder; owner-only, as a vote salt read by another user of the
 * machine would tell the vote before its reveal), so a marker that {@link #put} returned from
 * survives {@code kill -9} and power loss. A marker is written BEFORE its transaction is sent;
 * after a restart the node reads it and asks the chain whether the action landed (never acting
 * twice, never losing a salt).
 */
public final class MarkerStore {
  private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,150}");
  private final Path dir;

  public MarkerStore(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path dir() {
    return dir;
  }

  /** Writes (or replaces) a marker durably. */
  public void put(String key, String value) {
    putBytes(key, value.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes (or replaces) a binary marker durably. */
  public void putBytes(String key, byte[] value) {
    DurableFiles.writeSecret(path(key), value);
  }

  public Optional<String> get(String key) {
    Path p = path(key);
    try {
      return Files.exists(p)
          ? Optional.of(Files.readString(p, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Optional<byte[]> getBytes(String key) {
    Path p = path(key);
    try {
      return Files.exists(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void remove(String key) {
    try {
      Files.deleteIfExists(path(key));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The keys that start with {@code prefix}, sorted. */
  public java.util.List<String> keys(String prefix) {
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith(prefix) && !n.startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean has(String key) {
    return Files.exists(path(key));
  }

  private Path path(String key) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("bad marker key: " + key);
    }
    return dir.resolve(key);
  }
}
