package io.protolearn.cli.keystore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a keystore password comes from: a password file (its first line) or the {@value #ENV}
 * environment variable. Passwords are never written anywhere else.
 */
public final class Passwords {
  /** The environment variable holding the keystore password itself. */
  public static final String ENV = "PROTOLEARN_PASSWORD";

  private Passwords() {}

  /** The first line of {@code file}, without its line ending. */
  public static String fromFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new KeystoreException("no password file at " + file);
    }
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int eol = text.indexOf('\n');
      String line = eol < 0 ? text : text.substring(0, eol);
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isEmpty()) {
        throw new KeystoreException("password file " + file + " is empty");
      }
      return line;
    } catch (IOException e) {
      throw new KeystoreException("cannot read password file " + file + ": " + e.getMessage());
    }
  }

  /** The password: the file if one is named, else the environment variable, else empty. */
  public static Optional<String> resolve(Path passwordFile, Map<String, String> env) {
    if (passwordFile != null) {
      return Optional.of(fromFile(passwordFile));
    }
    String fromEnv = env.get(ENV);
    return fromEnv == null || fromEnv.isEmpty() ? Optional.empty() : Optional.of(fromEnv);
  }
}
