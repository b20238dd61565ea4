package io.protolearn.testing.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/** A development account's key handed to a node CLI's {@code init --import-key}. */
public final class NodeKeys {
  private NodeKeys() {}

  /** Writes the account's private key (0x-prefixed hex) to {@code file}. */
  public static Path writeKey(Credentials account, Path file) {
    try {
      Files.writeString(
          file,
          Numeric.toHexStringWithPrefixZeroPadded(account.getEcKeyPair().getPrivateKey(), 64));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The arguments of {@code init} importing the account's key (written to {@code keyFile}) into
   * {@code dataDir}, encrypted with the password in {@code passwordFile} (light KDF, for tests).
   */
  public static List<String> importInit(
      Credentials account, Path keyFile, Path dataDir, Path passwordFile) {
    return List.of(
        "init",
        "--import-key",
        writeKey(account, keyFile).toString(),
        "--light-kdf",
        "--data-dir",
        dataDir.toString(),
        "--password-file",
        passwordFile.toString());
  }
}
