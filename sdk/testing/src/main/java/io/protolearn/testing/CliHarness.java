package io.protolearn.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a picocli command line in this JVM and captures what it prints, with the project's CLI
 * contract as assertions: success prints nothing on stderr; a failure is one line on stderr, {@code
 * <name>: <message>}, with its exit code.
 */
public final class CliHarness {
  /** A command line's entry point: {@code execute(out, err, args)} returning the exit code. */
  @FunctionalInterface
  public interface Cli {
    int execute(PrintWriter out, PrintWriter err, String... args);
  }

  /** What one run printed, and its exit code. */
  public record Result(int code, String out, String err) {}

  private final String name;
  private final Cli cli;

  private CliHarness(String name, Cli cli) {
    this.name = name;
    this.cli = cli;
  }

  /** A harness for the command {@code name} (the prefix of its one-line errors). */
  public static CliHarness of(String name, Cli cli) {
    return new CliHarness(name, cli);
  }

  public Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = cli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  public Result run(List<String> args) {
    return run(args.toArray(String[]::new));
  }

  /** Runs and asserts success: exit code 0, nothing on stderr. */
  public Result ok(List<String> args) {
    Result r = run(args);
    assertThat(r.code()).as("%s %s: %s", name, String.join(" ", args), r.err()).isZero();
    assertThat(r.err()).as("%s %s: stderr", name, String.join(" ", args)).isEmpty();
    return r;
  }

  public Result ok(String... args) {
    return ok(List.of(args));
  }

  /** Runs and asserts a failure with {@code code}, told in one line {@code <name>: ...}. */
  public Result fails(int code, List<String> args) {
    Result r = run(args);
    assertThat(r.code()).as("%s %s: %s", name, String.join(" ", args), r.out()).isEqualTo(code);
    assertThat(r.err()).startsWith(name + ": ").endsWith("\n");
    assertThat(r.err().lines()).as("one line on stderr").hasSize(1);
    return r;
  }

  public Result fails(int code, String... args) {
    return fails(code, List.of(args));
  }

  /** {@code args} with {@code option value} appended unless {@code option} is already given. */
  public static List<String> withDefault(List<String> args, String option, String value) {
    if (args.contains(option)) {
      return args;
    }
    List<String> out = new ArrayList<>(args);
    out.add(option);
    out.add(value);
    return out;
  }
}
