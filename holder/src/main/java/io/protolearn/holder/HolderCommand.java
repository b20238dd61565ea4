package io.protolearn.holder;

import io.protolearn.chain.tx.ProtocolRevertException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/protolearn}: model shares and the run's governance, for holders. */
@Command(
    name = "protolearn",
    mixinStandardHelpOptions = true,
    version = "protolearn 0.1.0",
    description = "Hold, move and vote with a run's model shares.",
    subcommands = {SharesCommand.class, GovCommand.class})
public final class HolderCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 0;
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the CLI; a user mistake or a refusal prints one line on {@code err}. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new HolderCommand());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          String msg =
              e instanceof ProtocolRevertException r
                  ? "refused by the contract: " + r.getMessage()
                  : e.getMessage() == null ? e.toString() : e.getMessage();
          cmd.getErr().println("protolearn: " + msg);
          if (System.getenv("PROTOLEARN_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
          }
          return 1;
        });
    return cli.execute(args);
  }
}
