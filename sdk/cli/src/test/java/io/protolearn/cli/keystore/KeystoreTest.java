package io.protolearn.cli.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Secp256k1;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

class KeystoreTest {
  // anvil's account 1: a well-known development key
  private static final String DEV_KEY =
      "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
  private static final Address DEV_ADDRESS =
      Address.fromHex("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

  @TempDir Path dir;

  @Test
  void shouldCreateAKeystoreThatUnlocksToTheSameAddress() {
    Path file = dir.resolve("k/keystore.json");
    Address address = Keystore.create(file, "correct horse", KdfStrength.LIGHT);
    Credentials c = Keystore.unlock(file, "correct horse");
    assertThat(Address.fromHex(c.getAddress())).isEqualTo(address);
    assertThat(Keystore.address(file)).isEqualTo(address);
  }

  @Test
  void shouldImportAKeyAndUnlockItBack() {
    Path file = dir.resolve("keystore.json");
    assertThat(Keystore.importKey(file, DEV_KEY, "pw", KdfStrength.LIGHT)).isEqualTo(DEV_ADDRESS);
    Credentials c = Keystore.unlock(file, "pw");
    assertThat(c.getEcKeyPair().getPrivateKey())
        .isEqualTo(Secp256k1.fromPrivateKeyHex(DEV_KEY).privateKey());
  }

  @Test
  void shouldRefuseAWrongPasswordWithOneLineThatNamesNoSecret() {
    Path file = dir.resolve("keystore.json");
    Keystore.importKey(file, DEV_KEY, "right password", KdfStrength.LIGHT);
    assertThatThrownBy(() -> Keystore.unlock(file, "wrong password"))
        .isInstanceOf(KeystoreException.class)
        .hasMessage("wrong password for keystore " + file)
        .message()
        .doesNotContain("password\n")
        .doesNotContain("right")
        .doesNotContain(DEV_KEY.substring(2));
  }

  @Test
  void shouldWriteTheStandardEthereumKeystoreFormatReadableOnlyByItsOwner() throws Exception {
    Path file = dir.resolve("keystore.json");
    Keystore.importKey(file, DEV_KEY, "pw", KdfStrength.LIGHT);
    JsonNode json = new ObjectMapper().readTree(file.toFile());
    assertThat(json.get("version").asInt()).isEqualTo(3);
    assertThat(json.get("address").asText()).isEqualTo(DEV_ADDRESS.toHex().substring(2));
    assertThat(json.at("/crypto/kdf").asText()).isEqualTo("scrypt");
    assertThat(json.at("/crypto/cipher").asText()).isEqualTo("aes-128-ctr");
    assertThat(Files.readString(file)).doesNotContain(DEV_KEY.substring(2));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void shouldUseStandardScryptParametersUnlessLightIsAskedFor() throws Exception {
    Path standard = dir.resolve("standard.json");
    Path light = dir.resolve("light.json");
    Keystore.importKey(standard, DEV_KEY, "pw", KdfStrength.STANDARD);
    Keystore.importKey(light, DEV_KEY, "pw", KdfStrength.LIGHT);
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(standard.toFile()).at("/crypto/kdfparams/n").asInt())
        .isEqualTo(1 << 18);
    assertThat(json.readTree(light.toFile()).at("/crypto/kdfparams/n").asInt()).isEqualTo(1 << 12);
  }

  @Test
  void shouldNeverOverwriteAnExistingKeystore() {
    Path file = dir.resolve("keystore.json");
    Address first = Keystore.create(file, "pw", KdfStrength.LIGHT);
    assertThatThrownBy(() -> Keystore.create(file, "pw", KdfStrength.LIGHT))
        .isInstanceOf(KeystoreException.class)
        .hasMessageContaining("already exists");
    assertThat(Keystore.address(file)).isEqualTo(first);
  }

  @Test
  void shouldRejectBadKeysMissingFilesAndEmptyPasswords() {
    Path file = dir.resolve("keystore.json");
    assertThatThrownBy(() -> Keystore.importKey(file, "0x1234", "pw", KdfStrength.LIGHT))
        .hasMessageContaining("not a secp256k1 private key");
    assertThatThrownBy(() -> Keystore.create(file, "", KdfStrength.LIGHT))
        .hasMessageContaining("empty password");
    assertThatThrownBy(() -> Keystore.unlock(dir.resolve("none.json"), "pw"))
        .isInstanceOf(KeystoreException.class)
        .hasMessageStartingWith("no keystore at");
    assertThat(file).doesNotExist();
  }

  @Test
  void shouldReadThePasswordFromTheFirstLineOfAFileBeforeTheEnvironment() throws Exception {
    Path pw = dir.resolve("pw.txt");
    Files.writeString(pw, "from file\r\nsecond line\n");
    Map<String, String> env = Map.of(Passwords.ENV, "from env");
    assertThat(Passwords.resolve(pw, env)).contains("from file");
    assertThat(Passwords.resolve(null, env)).contains("from env");
    assertThat(Passwords.resolve(null, Map.of())).isEmpty();
    Files.writeString(pw, "\n");
    assertThatThrownBy(() -> Passwords.resolve(pw, env)).hasMessageContaining("is empty");
  }
}
