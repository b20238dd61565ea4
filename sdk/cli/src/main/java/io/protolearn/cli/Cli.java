package io.protolearn.cli;

import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.cli.config.CliDefaults;
import io.protolearn.cli.config.ConfigException;
import io.protolearn.cli.keystore.KeystoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs a protolearn command line (the miner's, the validator's or the holders') with the
 * conventions all share: option defaults from the environment and a config file ({@link
 * CliDefaults}), and every user mistake reported as one line on stderr with a non-zero exit code (2
 * for bad usage, 1 for a failed command) and no stack trace. {@code PROTOLEARN_DEBUG=1} adds the
 * stack trace of unexpected errors.
 */
public final class Cli {
  public static final String CONFIG_ENV = "PROTOLEARN_CONFIG";
  public static final String DEBUG_ENV = "PROTOLEARN_DEBUG";

  private Cli() {}

  /** Runs against the process's environment, stdout and stderr. */
  public static int execute(Object root, String... args) {
    return execute(
        root,
        System.getenv(),
        new PrintWriter(System.out, true, StandardCharsets.UTF_8),
        new PrintWriter(System.err, true, StandardCharsets.UTF_8),
        args);
  }

  public static int execute(
      Object root, Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(root);
    cli.setOut(out);
    cli.setErr(err);
    String name = cli.getCommandName();
    try {
      CliDefaults defaults = CliDefaults.load(env, configFile(env, args));
      defaults.checkKnownKeys(cli);
      cli.setDefaultValueProvider(defaults);
    } catch (ConfigException e) {
      err.println(name + ": " + e.getMessage());
      return 2;
    }
    cli.setParameterExceptionHandler(
        (e, a) -> {
          CommandLine cmd = e.getCommandLine();
          cmd.getErr()
              .println(
                  name
                      + ": "
                      + oneLine(e.getMessage())
                      + " (see `"
                      + cmd.getCommandSpec().qualifiedName()
                      + " --help`)");
          return cmd.getCommandSpec().exitCodeOnInvalidInput();
        });
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println(name + ": " + describe(e));
          if (isUnexpected(e) && env.containsKey(DEBUG_ENV)) {
            e.printStackTrace(cmd.getErr());
          }
          return 1;
        });
    return cli.execute(args);
  }

  /** {@code --config FILE} or {@code --config=FILE} in the arguments, else PROTOLEARN_CONFIG. */
  static Path configFile(Map<String, String> env, String... args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith("--config=")) {
        return Path.of(args[i].substring("--config=".length()));
      }
    }
    String fromEnv = env.get(CONFIG_ENV);
    return fromEnv == null || fromEnv.isEmpty() ? null : Path.of(fromEnv);
  }

  /** The one line printed for a failed command. */
  static String describe(Throwable e) {
    if (e instanceof ProtocolRevertException r) {
      return "refused by the contract: " + oneLine(r.getMessage());
    }
    if (e instanceof UncheckedIOException u && u.getCause() != null) {
      return describe(u.getCause());
    }
    if (e instanceof UserException
        || e instanceof ConfigException
        || e instanceof KeystoreException
        || e instanceof IOException) {
      return oneLine(e.getMessage());
    }
    return "unexpected error: " + oneLine(String.valueOf(e)) + " (" + DEBUG_ENV + "=1 shows more)";
  }

  private static boolean isUnexpected(Throwable e) {
    return describe(e).startsWith("unexpected error");
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
