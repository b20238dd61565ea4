package io.protolearn.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.chain.deploy.Deployment;
import io.protolearn.cli.Cli;
import io.protolearn.cli.config.ConfigOptions;
import io.protolearn.testing.CliHarness;
import io.protolearn.testing.CliHarness.Result;
import io.protolearn.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The shared account commands' handling of user mistakes, without a chain. */
class NodeCliTest {
  private static final String KEY =
      "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

  @Command(
      name = "node",
      mixinStandardHelpOptions = true,
      subcommands = {
        InitCommand.class,
        StakeCommand.class,
        StatusCommand.class,
        ClaimCommand.class,
        UnstakeCommand.class,
        WithdrawCommand.class
      })
  static final class Root implements Callable<Integer>, NodeRole {
    @Mixin ConfigOptions config;

    @Override
    public Integer call() {
      return 0;
    }

    @Override
    public String roleName() {
      return "node";
    }

    @Override
    public String joinCommand() {
      return "node join";
    }
  }

  @TempDir Path dir;
  private Path deployment;
  private Path password;

  @BeforeEach
  void files() throws Exception {
    int closedPort = Ports.unused();
    deployment = dir.resolve("deployment.json");
    new Deployment(
            31337,
            "http://127.0.0.1:" + closedPort,
            1,
            new Deployment.Contracts(
                "0x" + "1".repeat(40),
                "0x" + "2".repeat(40),
                "0x" + "3".repeat(40),
                "0x" + "4".repeat(40),
                "0x" + "5".repeat(40),
                "0x" + "6".repeat(40)),
            1,
            List.of())
        .save(deployment);
    password = dir.resolve("pw");
    Files.writeString(password, "secret\n");
  }

  private Result run(String... args) {
    return run(Map.of(), args);
  }

  private Result run(Map<String, String> env, String... args) {
    return CliHarness.of("node", (out, err, a) -> Cli.execute(new Root(), env, out, err, a))
        .run(args);
  }

  private void assertOneLineError(Result r, int code, String message) {
    assertThat(r.code()).isEqualTo(code);
    assertThat(r.err()).isEqualTo("node: " + message + "\n");
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  private String dataDir() {
    return dir.resolve("data").toString();
  }

  private void init() throws Exception {
    Path key = dir.resolve("key.hex");
    Files.writeString(key, KEY + "\n");
    Result r =
        run(
            "init",
            "--data-dir",
            dataDir(),
            "--password-file",
            password.toString(),
            "--import-key",
            key.toString(),
            "--light-kdf");
    assertThat(r.code()).as(r.err()).isZero();
  }

  @Test
  void shouldCreateAKeystoreWithThePasswordFromTheEnvironment() {
    Result r =
        run(
            Map.of("PROTOLEARN_PASSWORD", "from env"),
            "init",
            "--data-dir",
            dataDir(),
            "--light-kdf");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("created keystore " + dir.resolve("data/keystore.json"));
    assertThat(dir.resolve("data/keystore.json")).exists();
  }

  @Test
  void shouldRefuseToInitTwice() throws Exception {
    init();
    Result again = run("init", "--data-dir", dataDir(), "--password-file", password.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err())
        .startsWith(
            "node: a keystore for 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 already exists");
  }

  @Test
  void shouldSayNoPasswordWhenThereIsNoTerminalFileOrVariable() {
    assertOneLineError(
        run("init", "--data-dir", dataDir()),
        1,
        "no keystore password: pass --password-file FILE or set PROTOLEARN_PASSWORD");
  }

  @Test
  void shouldReportAWrongPasswordInOneLine() throws Exception {
    init();
    Path wrong = dir.resolve("wrong");
    Files.writeString(wrong, "not the secret");
    assertOneLineError(
        run(
            "stake",
            "--amount",
            "1",
            "--data-dir",
            dataDir(),
            "--password-file",
            wrong.toString(),
            "--deployment",
            deployment.toString()),
        1,
        "wrong password for keystore " + dir.resolve("data/keystore.json"));
  }

  @Test
  void shouldReportAnUnreachableRpcInOneLine() throws Exception {
    init();
    Result r =
        run(
            "stake",
            "--amount",
            "1",
            "--data-dir",
            dataDir(),
            "--password-file",
            password.toString(),
            "--deployment",
            deployment.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("node: cannot reach the chain at http://127.0.0.1:")
        .endsWith("\n");
    assertThat(r.err().lines()).hasSize(1);
  }

  @Test
  void shouldReportAMissingDeploymentFileInOneLine() throws Exception {
    init();
    assertOneLineError(
        run("status", "--data-dir", dataDir(), "--deployment", dir.resolve("none.json").toString()),
        1,
        "no deployment file at " + dir.resolve("none.json"));
  }

  @Test
  void shouldReportAMissingKeystoreInOneLine() {
    assertOneLineError(
        run("status", "--data-dir", dataDir(), "--deployment", deployment.toString()),
        1,
        "no keystore at " + dir.resolve("data/keystore.json"));
  }

  @Test
  void shouldReportBadFlagsInOneLineWithExitCode2() {
    assertOneLineError(
        run("stake", "--amount", "lots"),
        2,
        "Invalid value for option '--amount': 'lots' is not an amount of ETH (e.g. 1.5)"
            + " (see `node stake --help`)");
    assertOneLineError(
        run("stake"), 2, "Missing required option: '--amount=ETH' (see `node stake --help`)");
    assertOneLineError(
        run("stake", "--amount", "1", "--bogus"),
        2,
        "Unknown option: '--bogus' (see `node stake --help`)");
    assertOneLineError(
        run("sideways"), 2, "Unmatched argument at index 0: 'sideways' (see `node --help`)");
    assertOneLineError(
        run("claim", "--rounds", "1,x"),
        2,
        "Invalid value for option '--rounds' (ROUND): 'x' is not a long"
            + " (see `node claim --help`)");
  }

  @Test
  void shouldReportABadRpcUrlInOneLine() throws Exception {
    init();
    assertOneLineError(
        run(
            "status",
            "--data-dir",
            dataDir(),
            "--deployment",
            deployment.toString(),
            "--rpc-url",
            "localhost:8545"),
        1,
        "--rpc-url must be an http(s) URL, got 'localhost:8545'");
  }

  @Test
  void shouldOfferHelpOnEveryCommand() {
    for (String cmd : List.of("init", "stake", "status", "claim", "unstake", "withdraw")) {
      Result r = run(cmd, "--help");
      assertThat(r.code()).as(cmd).isZero();
      assertThat(r.out()).as(cmd).startsWith("Usage: node " + cmd).contains("--help");
    }
    assertThat(run("--help").out()).contains("stake").contains("withdraw");
  }
}
