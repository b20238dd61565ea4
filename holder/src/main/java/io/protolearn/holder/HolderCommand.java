package io.protolearn.holder;

import io.protolearn.cli.Cli;
import io.protolearn.cli.config.ConfigOptions;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bin/protolearn}: model shares and the run's governance, for holders. */
@Command(
    name = "protolearn",
    mixinStandardHelpOptions = true,
    version = "protolearn 0.1.0",
    description = "Hold, move and vote with a run's model shares.",
    subcommands = {SharesCommand.class, GovCommand.class})
public final class HolderCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI; a user mistake or a refusal prints one line on stderr. */
  public static int execute(String... args) {
    return Cli.execute(new HolderCommand(), args);
  }

  /** Runs the CLI in a given environment, writing to the given streams (for tests). */
  public static int execute(
      Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    return Cli.execute(new HolderCommand(), env, out, err, args);
  }
}
