package io.protolearn.node.cli;

import io.protolearn.node.config.KeyOptions;
import io.protolearn.node.config.NodeDefaults;
import io.protolearn.node.config.StorageOptions;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A subcommand of a node's CLI that uses its keystore and data folder. */
public abstract class NodeCommand implements Callable<Integer> {
  @Spec protected CommandSpec spec;
  @Mixin protected StorageOptions storage;
  @Mixin protected KeyOptions keys;

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** The environment the command line runs in (the process's, or a test's). */
  protected Map<String, String> env() {
    return spec.root().defaultValueProvider() instanceof NodeDefaults d ? d.env() : System.getenv();
  }

  /** {@code miner} or {@code validator}: the root command's name. */
  protected String cli() {
    return spec.root().name();
  }

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
