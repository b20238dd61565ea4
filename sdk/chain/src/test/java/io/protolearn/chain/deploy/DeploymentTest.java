package io.protolearn.chain.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
