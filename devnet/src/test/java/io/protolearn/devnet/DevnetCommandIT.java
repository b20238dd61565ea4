package io.protolearn.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.chain.deploy.Deployment;
import io.protolearn.testing.Ports;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;

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
      shouldFundAFreshAccount(d, deployment);
      assertThat(DevnetCommand.execute("up", "--dir", d, "--port", Integer.toString(port)))
          .as("a second up while one runs")
          .isEqualTo(1);
      assertThat(DevnetCommand.execute("down", "--dir", d)).isZero();
      ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
          .isNotEqualTo(java.util.Optional.of(true));
      assertThat(dir.resolve("anvil.pid")).doesNotExist();
      assertThat(DevnetCommand.execute("fund", "--dir", d, FRESH.getAddress()))
          .as("fund without a running devnet")
          .isEqualTo(1);
    } finally {
      DevnetCommand.execute("down", "--dir", d);
    }
  }

  private static final Credentials FRESH = Credentials.create("0x" + "0123456789abcdef".repeat(4));

  /** {@code fund}: a new account receives exactly the amount; bad input changes nothing. */
  private static void shouldFundAFreshAccount(String d, Deployment deployment) throws Exception {
    Web3j web3j = Web3j.build(new HttpService(deployment.rpcUrl()));
    try {
      assertThat(balance(web3j, FRESH.getAddress())).isZero();
      assertThat(DevnetCommand.execute("fund", "--dir", d, FRESH.getAddress(), "--amount", "2.5"))
          .isZero();
      BigInteger funded = new BigInteger("2500000000000000000");
      assertThat(balance(web3j, FRESH.getAddress())).isEqualTo(funded);
      assertThat(DevnetCommand.execute("fund", "--dir", d, "0x1234", "--amount", "1"))
          .as("a short address")
          .isEqualTo(1);
      assertThat(DevnetCommand.execute("fund", "--dir", d, FRESH.getAddress(), "--amount", "-1"))
          .as("a negative amount")
          .isEqualTo(1);
      assertThat(DevnetCommand.execute("fund", "--dir", d, FRESH.getAddress(), "--amount", "lots"))
          .as("not an amount")
          .isEqualTo(1);
      assertThat(DevnetCommand.execute("fund", "--dir", d, FRESH.getAddress(), "--amount", "1e9"))
          .as("more than the development account holds")
          .isEqualTo(1);
      assertThat(balance(web3j, FRESH.getAddress())).isEqualTo(funded);
    } finally {
      web3j.shutdown();
    }
  }

  private static BigInteger balance(Web3j web3j, String address) throws Exception {
    return web3j.ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
  }

  @Test
  void shouldRejectBadFlagsWithoutStartingAnything(@TempDir Path dir) {
    assertThat(DevnetCommand.execute("up", "--dir", dir.toString(), "--port", "0")).isEqualTo(1);
    assertThat(DevnetCommand.execute("up", "--dir", dir.toString(), "--stages", "x")).isEqualTo(2);
    assertThat(DevnetCommand.execute("sideways")).isEqualTo(2);
    assertThat(dir.resolve("anvil.pid")).doesNotExist();
  }
}
