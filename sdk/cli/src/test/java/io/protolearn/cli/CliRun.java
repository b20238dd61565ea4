package io.protolearn.cli;

import io.protolearn.cli.config.ConfigOptions;
import io.protolearn.testing.CliHarness;
import io.protolearn.testing.CliHarness.Result;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Test subcommands under a root command {@code tool} (with {@code --config}), run through {@link
 * Cli} by the shared {@link CliHarness}.
 */
public final class CliRun {
  @Command(name = "tool", mixinStandardHelpOptions = true)
  static final class Root implements Callable<Integer> {
    @Mixin ConfigOptions config;

    @Override
    public Integer call() {
      return 0;
    }
  }

  private final Object[] subcommands;

  private CliRun(Object... subcommands) {
    this.subcommands = subcommands;
  }

  /** A root command {@code tool} over these annotated subcommands. */
  public static CliRun of(Object... subcommands) {
    return new CliRun(subcommands);
  }

  /** The harness for this root command in the given environment. */
  public CliHarness in(Map<String, String> env) {
    return CliHarness.of(
        "tool",
        (out, err, args) -> {
          CommandLine root = new CommandLine(new Root());
          for (Object sub : subcommands) {
            root.addSubcommand(sub);
          }
          return Cli.execute(root.getCommandSpec(), env, out, err, args);
        });
  }

  public Result run(Map<String, String> env, String... args) {
    return in(env).run(args);
  }
}
