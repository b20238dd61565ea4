package io.protolearn.node.cli;

import io.protolearn.cli.Cli;
import io.protolearn.cli.config.ConfigOptions;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A node's root command ({@code miner}, {@code validator}): the config file option, usage when
 * called bare, and the one-line error handling of {@link Cli}; the subclass says its role.
 */
public abstract class NodeRootCommand implements Callable<Integer>, NodeRole {
  @Mixin ConfigOptions config;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** Runs {@code root}'s command line; user mistakes print one line and give a non-zero code. */
  protected static int run(NodeRootCommand root, String... args) {
    return Cli.execute(root, args);
  }

  /** Runs {@code root}'s command line in a given environment and streams (for tests). */
  protected static int run(
      NodeRootCommand root,
      Map<String, String> env,
      PrintWriter out,
      PrintWriter err,
      String... args) {
    return Cli.execute(root, env, out, err, args);
  }
}
