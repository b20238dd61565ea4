package io.protolearn.node.cli;

import io.protolearn.cli.CliCommand;
import io.protolearn.cli.config.KeyOptions;
import io.protolearn.cli.config.StorageOptions;
import picocli.CommandLine.Mixin;

/** A subcommand of a node's CLI that uses its keystore and data folder. */
public abstract class NodeCommand extends CliCommand {
  @Mixin protected StorageOptions storage;
  @Mixin protected KeyOptions keys;

  protected NodeRole role() {
    Object root = spec.root().userObject();
    if (root instanceof NodeRole r) {
      return r;
    }
    return new NodeRole() {
      @Override
      public String roleName() {
        return cli();
      }

      @Override
      public String joinCommand() {
        return cli() + " --help";
      }
    };
  }
}
