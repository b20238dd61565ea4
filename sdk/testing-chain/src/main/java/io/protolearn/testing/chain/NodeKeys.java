package io.protolearn.testing.chain;

import io.protolearn.chain.files.DurableFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/** A development account's key handed to a node CLI's {@code init --import-key}. */
public final class NodeKeys {
  private NodeKeys() {}

  /** Writes the account's private key (0x-prefixed hex) to {@code file}, owner-only. */
  public static Path writeKey(Credentials account, Path file) {
    DurableFiles.writeSecret(
        file,
        Numeric.toHexStringWithPrefixZeroPadded(account.getEcKeyPair().getPrivateKey(), 64)
            .getBytes(StandardCharsets.UTF_8));
    return file;
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
