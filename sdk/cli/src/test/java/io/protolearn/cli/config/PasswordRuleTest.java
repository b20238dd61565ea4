package io.protolearn.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.cli.CliCommand;
import io.protolearn.cli.CliRun;
import io.protolearn.testing.CliHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The one password rule of every protolearn CLI (miner, validator, holders): a password file named
 * by the flag, else by PROTOLEARN_PASSWORD_FILE, else by the config file; else PROTOLEARN_PASSWORD;
 * else a terminal prompt; else one line saying how to give one.
 */
class PasswordRuleTest {

  /** Prints the password the rule finds (only a test would ever print one). */
  @Command(name = "password")
  static final class Password extends CliCommand {
    @Mixin KeyOptions keys;

    @Override
    public Integer call() {
      out().println(keys.password(env(), false));
      return 0;
    }
  }

  @TempDir Path dir;
  private Path flagFile;
  private Path envFile;
  private Path config;

  @BeforeEach
  void files() throws Exception {
    flagFile = Files.writeString(dir.resolve("flag.txt"), "from flag file\n");
    envFile = Files.writeString(dir.resolve("env.txt"), "from env file\n");
    Path configFile = Files.writeString(dir.resolve("config.txt"), "from config file\n");
    config = Files.writeString(dir.resolve("tool.properties"), "password-file=" + configFile);
  }

  private static Result run(Map<String, String> env, String... args) {
    Result r = CliRun.of(new Password()).run(env, args);
    return new Result(r.code(), r.out().strip(), r.err());
  }

  private Map<String, String> everySource() {
    Map<String, String> env = new HashMap<>();
    env.put("PROTOLEARN_PASSWORD_FILE", envFile.toString());
    env.put("PROTOLEARN_PASSWORD", "from password variable");
    env.put("PROTOLEARN_CONFIG", config.toString());
    return env;
  }

  @Test
  void shouldTakeThePasswordFileFlagOverEveryOtherSource() {
    assertThat(run(everySource(), "password", "--password-file", flagFile.toString()).out())
        .isEqualTo("from flag file");
  }

  @Test
  void shouldTakeThePasswordFileVariableOverTheConfigFileAndThePasswordVariable() {
    assertThat(run(everySource(), "password").out()).isEqualTo("from env file");
  }

  @Test
  void shouldTakeTheConfigFilesPasswordFileOverThePasswordVariable() {
    Map<String, String> env = everySource();
    env.remove("PROTOLEARN_PASSWORD_FILE");
    assertThat(run(env, "password").out()).isEqualTo("from config file");
  }

  @Test
  void shouldTakeThePasswordVariableWhenNoPasswordFileIsNamed() {
    assertThat(run(Map.of("PROTOLEARN_PASSWORD", "from password variable"), "password").out())
        .isEqualTo("from password variable");
  }

  @Test
  void shouldSayInOneLineHowToGiveAPasswordWithoutATerminal() {
    Result r = run(Map.of("PROTOLEARN_PASSWORD", ""), "password");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "tool: no keystore password: pass --password-file FILE or set PROTOLEARN_PASSWORD\n");
  }

  @Test
  void shouldRefuseAMissingOrEmptyPasswordFileRatherThanFallBack() throws Exception {
    Map<String, String> env = Map.of("PROTOLEARN_PASSWORD", "from password variable");
    Result missing = run(env, "password", "--password-file", dir.resolve("none").toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("tool: no password file at " + dir.resolve("none") + "\n");
    Files.writeString(flagFile, "\n");
    Result empty = run(env, "password", "--password-file", flagFile.toString());
    assertThat(empty.err()).isEqualTo("tool: password file " + flagFile + " is empty\n");
  }
}
