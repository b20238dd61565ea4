package io.protolearn.cli;

import io.protolearn.cli.config.CliDefaults;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A subcommand run through {@link Cli}: its output stream and the environment it runs in. */
public abstract class CliCommand implements Callable<Integer> {
  @Spec protected CommandSpec spec;

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** The environment the command line runs in (the process's, or a test's). */
  protected Map<String, String> env() {
    return spec.root().defaultValueProvider() instanceof CliDefaults d ? d.env() : System.getenv();
  }

  /** The root command's name: {@code miner}, {@code validator} or {@code protolearn}. */
  protected String cli() {
    return spec.root().name();
  }
}
