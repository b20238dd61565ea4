package io.protolearn.chain.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentTest {

  @Test
  void shouldRoundTripThroughItsFile(@TempDir Path dir) throws IOException {
    Deployment d =
        new Deployment(
            31337,
            "http://127.0.0.1:8545",
            3,
            new Deployment.Contracts("0x1", "0x2", "0x3", "0x4", "0x5", "0x6"),
            1,
            List.of(new Deployment.Account("deployer", "0xabc", null)));
    Path file = dir.resolve("sub/deployment.json");
    d.save(file);
    assertThat(Deployment.load(file)).isEqualTo(d);
    assertThat(Files.readString(file)).doesNotContain("privateKey");
  }

  @Test
  void shouldWriteADeploymentHoldingKeysOwnerOnly(@TempDir Path dir) throws IOException {
    // a devnet deployment carries funded accounts' private keys: before v2 it was written with the
    // default permissions, readable by every user of the machine
    Deployment.Contracts c = new Deployment.Contracts("0x1", "0x2", "0x3", "0x4", "0x5", "0x6");
    Path withKeys = dir.resolve("devnet.json");
    new Deployment(31337, "http://127.0.0.1:8545", 3, c, 1, List.of(account("0xkey")))
        .save(withKeys);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(withKeys)))
        .isEqualTo("rw-------");
    Path public_ = dir.resolve("testnet.json");
    new Deployment(11155111, "http://127.0.0.1:8545", 3, c, 1, List.of(account(null)))
        .save(public_);
    assertThat(Files.getPosixFilePermissions(public_)).contains(PosixFilePermission.OWNER_READ);
    assertThat(Deployment.load(public_).holdsKeys()).isFalse();
    assertThat(Deployment.load(withKeys).holdsKeys()).isTrue();
  }

  private static Deployment.Account account(String privateKey) {
    return new Deployment.Account("deployer", "0xabc", privateKey);
  }

  @Test
  void shouldExplainAMissingOrBrokenFile(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> Deployment.load(dir.resolve("none.json")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no deployment file");
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"chainId\": \"x\"");
    assertThatThrownBy(() -> Deployment.load(broken))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not valid");
    Path empty = dir.resolve("empty.json");
    Files.writeString(empty, "{\"chainId\": 1}");
    assertThatThrownBy(() -> Deployment.load(empty)).hasMessageContaining("RunManager");
  }
}
