package io.protolearn.node.cli;

import io.protolearn.cli.UserException;
import io.protolearn.cli.keystore.KdfStrength;
import io.protolearn.cli.keystore.Keystore;
import io.protolearn.protocol.crypto.Address;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Creates the node's keystore: a new random key, or one imported from a file. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = "Create this node's encrypted keystore (standard Ethereum keystore JSON).")
public final class InitCommand extends NodeCommand {
  @Option(
      names = "--import-key",
      paramLabel = "FILE",
      description =
          "Import the hex private key held in FILE ('-' reads it from standard input) instead of"
              + " generating a new key.")
  Path importKey;

  @Option(
      names = "--light-kdf",
      description =
          "Weak scrypt parameters that unlock fast: for devnets and tests only, never for a key"
              + " that holds value.")
  boolean lightKdf;

  @Override
  public Integer call() throws IOException {
    Path file = keys.keystore(storage);
    if (Files.exists(file)) {
      throw new UserException(
          "a keystore for "
              + Keystore.address(file).toChecksumHex()
              + " already exists at "
              + file
              + "; move it away to create another");
    }
    String key = importKey == null ? null : readKey(importKey);
    String password = keys.password(env(), true);
    KdfStrength strength = lightKdf ? KdfStrength.LIGHT : KdfStrength.STANDARD;
    Address address =
        key == null
            ? Keystore.create(file, password, strength)
            : Keystore.importKey(file, key, password, strength);
    out()
        .printf(
            "%s keystore %s for %s%s%n  next: fund the account, then `%s stake --amount ETH`%n",
            key == null ? "created" : "imported a key into",
            file,
            address.toChecksumHex(),
            lightKdf ? " (light KDF: devnet/test use only)" : "",
            cli());
    return 0;
  }

  private static String readKey(Path source) throws IOException {
    if (source.toString().equals("-")) {
      return new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    if (!Files.isRegularFile(source)) {
      throw new UserException("no key file at " + source);
    }
    return Files.readString(source, StandardCharsets.UTF_8).strip();
  }
}
