package io.protolearn.cli;

import io.protolearn.cli.config.ConfigOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Runs test subcommands under a root command {@code tool} (with {@code --config}) via {@link Cli}.
 */
public final class CliRun {
  public record Result(int code, String out, String err) {}

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

  public Result run(Map<String, String> env, String... args) {
    CommandLine root = new CommandLine(new Root());
    for (Object sub : subcommands) {
      root.addSubcommand(sub);
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Cli.execute(
            root.getCommandSpec(),
            env,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            args);
    return new Result(code, out.toString(), err.toString());
  }
}
