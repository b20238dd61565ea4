package io.protolearn.miner;

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

/** {@code bin/miner}: a miner's account on a run and the node that trains ({@code run}). */
@Command(
    name = "miner",
    mixinStandardHelpOptions = true,
    version = "protolearn miner 0.1.0",
    description =
        "A protolearn miner: stake, join a stage of the model, run the training node, claim"
            + " model shares.",
    subcommands = {
      InitCommand.class,
      StakeCommand.class,
      JoinCommand.class,
      RunCommand.class,
      StatusCommand.class,
      BaseCommand.class,
      ClaimCommand.class,
      UnstakeCommand.class,
      WithdrawCommand.class
    })
public final class MinerCommand extends NodeRootCommand {
  @Override
  public String roleName() {
    return "miner";
  }

  @Override
  public String joinCommand() {
    return "miner join --stage N --endpoint URL";
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line; user mistakes print one line to stderr and give a non-zero code. */
  public static int execute(String... args) {
    return run(new MinerCommand(), args);
  }

  /** Runs the command line in a given environment, writing to the given streams (for tests). */
  public static int execute(
      Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    return run(new MinerCommand(), env, out, err, args);
  }
}
