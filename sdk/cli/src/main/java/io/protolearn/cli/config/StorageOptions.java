package io.protolearn.cli.config;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where a node keeps its files: keystore (by default) and state. */
public final class StorageOptions {
  public static final String DEFAULT_PARENT = ".protolearn";

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "This node's folder: keystore and state (default: .protolearn/<miner|validator>).")
  Path dataDir;

  /** The data folder; by default {@code .protolearn/<root command name>}. */
  public Path dataDir() {
    return dataDir != null ? dataDir : Path.of(DEFAULT_PARENT, mixee.root().name());
  }
}
