package io.protolearn.cli.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code --config FILE}: a properties or JSON file of option defaults (also {@code
 * PROTOLEARN_CONFIG}). The file is read before parsing, so this field only documents the option.
 */
public final class ConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description =
          "Config file of option defaults (properties, or .json): keys are option names"
              + " without dashes, e.g. rpc-url=http://127.0.0.1:8545. Precedence: flags >"
              + " PROTOLEARN_* environment variables > config file.")
  Path config;
}
