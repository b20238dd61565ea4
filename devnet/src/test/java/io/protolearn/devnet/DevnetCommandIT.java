package io.protolearn.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.chain.deploy.Deployment;
import io.protolearn.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevnetCommandIT {

  @Test
  void shouldStartDeployAndStopByPid(@TempDir Path dir) throws Exception {
    int port = Ports.unused(); // `devnet up` takes the port it is told
    String d = dir.toString();
    assertThat(DevnetCommand.execute("up", "--dir", d, "--port", Integer.toString(port))).isZero();
    try {
      Deployment deployment = Deployment.load(dir.resolve("deployment.json"));
      assertThat(deployment.rpcUrl()).isEqualTo("http://127.0.0.1:" + port);
      assertThat(deployment.runId()).isEqualTo(1);
      assertThat(deployment.accounts()).hasSize(20);
      long pid = Long.parseLong(Files.readString(dir.resolve("anvil.pid")).trim());
      assertThat(ProcessHandle.of(pid)).hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());
      assertThat(DevnetCommand.execute("status", "--dir", d)).isZero();
      assertThat(DevnetCommand.execute("up", "--dir", d, "--port", Integer.toString(port)))
          .as("a second up while one runs")
          .isEqualTo(1);
      assertThat(DevnetCommand.execute("down", "--dir", d)).isZero();
      ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
          .isNotEqualTo(java.util.Optional.of(true));
      assertThat(dir.resolve("anvil.pid")).doesNotExist();
    } finally {
      DevnetCommand.execute("down", "--dir", d);
    }
  }

  @Test
  void shouldRejectBadFlagsWithoutStartingAnything(@TempDir Path dir) {
    assertThat(DevnetCommand.execute("up", "--dir", dir.toString(), "--port", "0")).isEqualTo(1);
    assertThat(DevnetCommand.execute("up", "--dir", dir.toString(), "--stages", "x")).isEqualTo(2);
    assertThat(DevnetCommand.execute("sideways")).isEqualTo(2);
    assertThat(dir.resolve("anvil.pid")).doesNotExist();
  }
}
