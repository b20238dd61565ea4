package io.protolearn.devnet;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/devnet}: a local chain with the protocol deployed. */
@Command(
    name = "devnet",
    mixinStandardHelpOptions = true,
    version = "protolearn devnet 0.1.0",
    description = "A local EVM chain with the protolearn contracts and one run deployed.",
    subcommands = {
      UpCommand.class,
      DownCommand.class,
      StatusCommand.class,
      FundCommand.class,
      DemoCommand.class
    })
public final class DevnetCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 0;
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line; user mistakes print one line to stderr and give a non-zero code. */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new DevnetCommand());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr()
              .println("devnet: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return 1;
        });
    return cli.execute(args);
  }
}
