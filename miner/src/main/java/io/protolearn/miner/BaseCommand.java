package io.protolearn.miner;

import io.protolearn.chain.files.DurableFiles;
import io.protolearn.cli.UserException;
import io.protolearn.miner.node.RoundJournal;
import io.protolearn.node.cli.NodeCommand;
import io.protolearn.training.lane.OuterStep.OuterState;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code miner base}: the base this node aggregated for a round, written to a file in the training
 * module's outer-state encoding ({@link OuterState#encode}), for tools that evaluate the model (the
 * devnet demo's held-out loss) without reading the node's data folder themselves.
 */
@Command(
    name = "base",
    mixinStandardHelpOptions = true,
    description =
        "Write the base of round R (the model this node aggregated after round R-1: parameters and"
            + " outer momentum) to FILE. Exits with "
            + BaseCommand.NOT_YET
            + " when the node has no base of that round yet.")
final class BaseCommand extends NodeCommand {
  /** The exit code when the base is not there (yet). */
  static final int NOT_YET = 3;

  @Option(names = "--round", paramLabel = "R", required = true, description = "The round.")
  long round;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      required = true,
      description = "Where to write the base (replaced atomically).")
  Path file;

  @Override
  public Integer call() {
    Optional<OuterState> base = new RoundJournal(storage.dataDir()).base(round);
    if (base.isEmpty()) {
      spec.commandLine().getErr().println("miner: no base of round " + round + " yet");
      return NOT_YET;
    }
    try {
      DurableFiles.write(file, base.get().encode());
    } catch (UncheckedIOException e) {
      throw new UserException("cannot write " + file + ": " + e.getCause().getMessage());
    }
    out().printf("base of round %d written to %s%n", round, file);
    return 0;
  }
}
