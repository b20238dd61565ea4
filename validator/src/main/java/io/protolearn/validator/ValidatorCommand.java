package io.protolearn.validator;

import io.protolearn.node.cli.ClaimCommand;
import io.protolearn.node.cli.InitCommand;
import io.protolearn.node.cli.NodeRootCommand;
import io.protolearn.node.cli.StakeCommand;
import io.protolearn.node.cli.StatusCommand;
import io.protolearn.node.cli.UnstakeCommand;
import io.protolearn.node.cli.WithdrawCommand;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code bin/validator}: a validator's account on a run and its checking node ({@code run}). */
@Command(
    name = "validator",
    mixinStandardHelpOptions = true,
    version = "protolearn validator 0.1.0",
    description =
        "A protolearn validator: stake, register, run the checking node, claim model shares.",
    subcommands = {
      InitCommand.class,
      StakeCommand.class,
      RegisterCommand.class,
      RunCommand.class,
      StatusCommand.class,
      ClaimCommand.class,
      UnstakeCommand.class,
      WithdrawCommand.class
    })
public final class ValidatorCommand extends NodeRootCommand {
  @Override
  public String roleName() {
    return "validator";
  }

  @Override
  public String joinCommand() {
    return "validator register --endpoint URL";
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line; user mistakes print one line to stderr and give a non-zero code. */
  public static int execute(String... args) {
    return run(new ValidatorCommand(), args);
  }

  /** Runs the command line in a given environment, writing to the given streams (for tests). */
  public static int execute(
      Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    return run(new ValidatorCommand(), env, out, err, args);
  }
}
