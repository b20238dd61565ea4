package io.protolearn.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.cli.CliRun;
import io.protolearn.testing.CliHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Flags > PROTOLEARN_* environment variables > config file > defaults, for every mixin. */
class OptionsPrecedenceTest {

  @Command(name = "show")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ChainOptions chain;
    @Mixin KeyOptions keys;
    @Mixin StorageOptions storage;

    @Override
    public Integer call() {
      spec.commandLine()
          .getOut()
          .printf(
              "deployment=%s rpc=%s data=%s keystore=%s password-file=%s%n",
              chain.deployment,
              chain.rpcUrl,
              storage.dataDir(),
              keys.keystore(storage),
              keys.passwordFile);
      return 0;
    }
  }

  @TempDir Path dir;

  private static Result runShow(Map<String, String> env, String... args) {
    return CliRun.of(new Show()).run(env, args);
  }

  private static String run(Map<String, String> env, String... args) {
    Result r = runShow(env, args);
    assertThat(r.code()).as("exit code, stderr: %s", r.err()).isZero();
    return r.out().strip();
  }

  @Test
  void shouldUseTheOptionDefaultsWhenNothingElseIsGiven() {
    assertThat(run(Map.of(), "show"))
        .isEqualTo(
            "deployment=.devnet/deployment.json rpc=null data=.protolearn/tool"
                + " keystore=.protolearn/tool/keystore.json password-file=null");
  }

  @Test
  void shouldTakeTheConfigFileOverDefaults() throws Exception {
    Path config = dir.resolve("node.properties");
    Files.writeString(
        config, "rpc-url=http://config:1\ndata-dir=/config/data\ndeployment=/config/d.json\n");
    assertThat(run(Map.of(), "show", "--config", config.toString()))
        .isEqualTo(
            "deployment=/config/d.json rpc=http://config:1 data=/config/data"
                + " keystore=/config/data/keystore.json password-file=null");
  }

  @Test
  void shouldTakeTheEnvironmentOverTheConfigFile() throws Exception {
    Path config = dir.resolve("node.json");
    Files.writeString(config, "{\"rpc-url\": \"http://config:1\", \"data-dir\": \"/config/data\"}");
    Map<String, String> env =
        Map.of(
            "PROTOLEARN_RPC_URL", "http://env:2",
            "PROTOLEARN_PASSWORD_FILE", "/env/pw",
            "PROTOLEARN_CONFIG", config.toString());
    assertThat(run(env, "show"))
        .isEqualTo(
            "deployment=.devnet/deployment.json rpc=http://env:2 data=/config/data"
                + " keystore=/config/data/keystore.json password-file=/env/pw");
  }

  @Test
  void shouldTakeFlagsOverEverything() throws Exception {
    Path config = dir.resolve("node.properties");
    Files.writeString(config, "rpc-url=http://config:1\nkeystore=/config/k.json\n");
    Map<String, String> env = Map.of("PROTOLEARN_RPC_URL", "http://env:2");
    assertThat(
            run(
                env,
                "show",
                "--config=" + config,
                "--rpc-url",
                "http://flag:3",
                "--keystore",
                "/flag/k.json"))
        .isEqualTo(
            "deployment=.devnet/deployment.json rpc=http://flag:3 data=.protolearn/tool"
                + " keystore=/flag/k.json password-file=null");
  }

  @Test
  void shouldRefuseAConfigFileWithAnUnknownKeyInOneLine() throws Exception {
    Path config = dir.resolve("node.properties");
    Files.writeString(config, "rpc-ulr=http://typo:1\n");
    Result r = runShow(Map.of(), "show", "--config", config.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("tool: config file " + config + " has unknown option(s): rpc-ulr\n");
  }

  @Test
  void shouldNameTheEnvironmentVariableAfterTheOption() {
    assertThat(CliDefaults.envName("rpc-url")).isEqualTo("PROTOLEARN_RPC_URL");
    assertThat(CliDefaults.envName("data-dir")).isEqualTo("PROTOLEARN_DATA_DIR");
  }
}
