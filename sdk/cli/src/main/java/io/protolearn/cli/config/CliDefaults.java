package io.protolearn.cli.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option not given on the command line gets its value: first the environment variable
 * {@code PROTOLEARN_<NAME>} ({@code --rpc-url} reads {@code PROTOLEARN_RPC_URL}), then the config
 * file's key {@code <name>} ({@code rpc-url}), then the option's own default. Flags given on the
 * command line always win, so the order is flags > environment > config file > defaults.
 */
public final class CliDefaults implements IDefaultValueProvider {
  public static final String ENV_PREFIX = "PROTOLEARN_";

  private final Map<String, String> env;
  private final Map<String, String> config;
  private final Path configFile;

  private CliDefaults(Map<String, String> env, Map<String, String> config, Path configFile) {
    this.env = Map.copyOf(env);
    this.config = Map.copyOf(config);
    this.configFile = configFile;
  }

  /** Reads {@code configFile} if there is one ({@code null}: none). */
  public static CliDefaults load(Map<String, String> env, Path configFile) {
    Map<String, String> config = configFile == null ? Map.of() : ConfigFile.load(configFile);
    return new CliDefaults(env, config, configFile);
  }

  /** The environment this command line runs in (tests pass their own). */
  public Map<String, String> env() {
    return env;
  }

  /** The environment variable read for an option key ({@code rpc-url → PROTOLEARN_RPC_URL}). */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** The key of an option: its longest name without leading dashes. */
  public static String key(OptionSpec option) {
    return option.longestName().replaceFirst("^-+", "");
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    String key = key(option);
    String fromEnv = env.get(envName(key));
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return fromEnv;
    }
    return config.get(key);
  }

  /** Fails on a config key that names no option of any command in the tree (a likely typo). */
  public void checkKnownKeys(CommandLine root) {
    Set<String> known = new LinkedHashSet<>();
    collect(root, known);
    List<String> unknown = new ArrayList<>();
    for (String key : config.keySet()) {
      if (!known.contains(key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      throw new ConfigException(
          "config file " + configFile + " has unknown option(s): " + String.join(", ", unknown));
    }
  }

  private static void collect(CommandLine cmd, Set<String> known) {
    CommandSpec spec = cmd.getCommandSpec();
    for (OptionSpec o : spec.options()) {
      if (!o.usageHelp() && !o.versionHelp()) {
        known.add(key(o));
      }
    }
    for (CommandLine sub : cmd.getSubcommands().values()) {
      collect(sub, known);
    }
  }
}
