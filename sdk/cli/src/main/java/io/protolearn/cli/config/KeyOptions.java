package io.protolearn.cli.config;

import io.protolearn.cli.keystore.Keystore;
import io.protolearn.cli.keystore.KeystoreException;
import io.protolearn.cli.keystore.Passwords;
import io.protolearn.protocol.crypto.Address;
import java.io.Console;
import java.nio.file.Path;
import java.util.Map;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Option;

/**
 * The signing key of a command line (a node's or a holder's): its keystore file and where the
 * password comes from. One password rule for every protolearn CLI: {@code --password-file FILE} on
 * the command line, else {@code PROTOLEARN_PASSWORD_FILE}, else the config file's {@code
 * password-file} (option defaults, {@link CliDefaults}); without a password file, the password
 * itself from {@value Passwords#ENV}; else a prompt on a terminal; else one clear line saying so.
 */
public final class KeyOptions {
  public static final String DEFAULT_KEYSTORE_NAME = "keystore.json";

  @Option(
      names = "--keystore",
      paramLabel = "FILE",
      description = "Ethereum keystore JSON file (default: <data-dir>/keystore.json).")
  Path keystore;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description =
          "File whose first line is the keystore password; without it the password comes from"
              + " PROTOLEARN_PASSWORD, or a prompt on a terminal.")
  Path passwordFile;

  /** The keystore file: {@code --keystore}, by default {@code keystore.json} in the data folder. */
  public Path keystore(StorageOptions storage) {
    return keystore != null ? keystore : storage.dataDir().resolve(DEFAULT_KEYSTORE_NAME);
  }

  /** The keystore file of a command line without a data folder: {@code --keystore} is needed. */
  public Path keystore() {
    if (keystore == null) {
      throw new KeystoreException(
          "no keystore: pass --keystore FILE or set " + CliDefaults.envName("keystore"));
    }
    return keystore;
  }

  /** The password file named by {@code --password-file} or its defaults; {@code null}: none. */
  public Path passwordFile() {
    return passwordFile;
  }

  /** The password from the file, the environment or (on a terminal) a prompt. */
  public String password(Map<String, String> env, boolean confirm) {
    return Passwords.resolve(passwordFile, env).orElseGet(() -> prompt(confirm));
  }

  /** Unlocks the keystore (a wrong password is a one-line {@link KeystoreException}). */
  public Credentials unlock(StorageOptions storage, Map<String, String> env) {
    return unlock(keystore(storage), env);
  }

  /** Unlocks the keystore named by {@code --keystore} ({@link #keystore()}). */
  public Credentials unlock(Map<String, String> env) {
    return unlock(keystore(), env);
  }

  private Credentials unlock(Path file, Map<String, String> env) {
    Keystore.address(file); // a missing keystore is reported before a password is asked for
    return Keystore.unlock(file, password(env, false));
  }

  /** The keystore's address, without unlocking it. */
  public Address address(StorageOptions storage) {
    return Keystore.address(keystore(storage));
  }

  private static String prompt(boolean confirm) {
    Console console = System.console();
    if (console == null) {
      throw new KeystoreException(
          "no keystore password: pass --password-file FILE or set " + Passwords.ENV);
    }
    char[] first = console.readPassword("keystore password: ");
    if (first == null || first.length == 0) {
      throw new KeystoreException("no keystore password given");
    }
    if (confirm) {
      char[] again = console.readPassword("repeat the password: ");
      if (again == null || !java.util.Arrays.equals(first, again)) {
        throw new KeystoreException("the two passwords differ");
      }
    }
    return new String(first);
  }
}
