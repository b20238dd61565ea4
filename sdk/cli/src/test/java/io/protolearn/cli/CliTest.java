package io.protolearn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.cli.config.KeyOptions;
import io.protolearn.testing.CliHarness.Result;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Every failure of a command line is one line on stderr, with exit code 2 or 1. */
class CliTest {

  @Command(name = "fail", mixinStandardHelpOptions = true)
  static final class Fail extends CliCommand {
    @Mixin KeyOptions keys;

    @Option(names = "--with", required = true)
    String with;

    @Override
    public Integer call() {
      switch (with) {
        case "user" -> throw new UserException("no stake on this account\n  (stake first)");
        case "revert" -> throw new ProtocolRevertException("StakeTooLow", List.of(), "0x12345678");
        case "keystore" -> keys.unlock(env());
        case "bug" -> throw new IllegalStateException("a bug");
        default -> out().println("ok");
      }
      return 0;
    }
  }

  private static Result run(Map<String, String> env, String... args) {
    return CliRun.of(new Fail()).run(env, args);
  }

  @Test
  void shouldPrintAUserMistakeAsOneLineWithExitCode1() {
    Result r = run(Map.of(), "fail", "--with", "user");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("tool: no stake on this account (stake first)\n");
  }

  @Test
  void shouldPrintAContractRefusalAsOneLine() {
    Result r = run(Map.of(), "fail", "--with", "revert");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("tool: refused by the contract: StakeTooLow").hasLineCount(1);
  }

  @Test
  void shouldAskForAKeystoreWhenThereIsNoDataFolder() {
    Result r = run(Map.of(), "fail", "--with", "keystore");
    assertThat(r.err())
        .isEqualTo("tool: no keystore: pass --keystore FILE or set PROTOLEARN_KEYSTORE\n");
  }

  @Test
  void shouldPrintBadUsageAsOneLineWithExitCode2() {
    Result r = run(Map.of(), "fail");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("tool: Missing required option: '--with=<with>' (see `tool fail --help`)\n");
  }

  @Test
  void shouldCallAnUnexpectedErrorOneAndShowTheStackTraceOnlyWhenAskedTo() {
    Result quiet = run(Map.of(), "fail", "--with", "bug");
    assertThat(quiet.code()).isEqualTo(1);
    assertThat(quiet.err())
        .isEqualTo(
            "tool: unexpected error: java.lang.IllegalStateException: a bug"
                + " (PROTOLEARN_DEBUG=1 shows more)\n");
    Result debug = run(Map.of(Cli.DEBUG_ENV, "1"), "fail", "--with", "bug");
    assertThat(debug.err()).contains("\tat io.protolearn.cli.CliTest$Fail.call");
  }
}
