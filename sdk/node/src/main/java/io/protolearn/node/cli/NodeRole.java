package io.protolearn.node.cli;

/** Implemented by a node's root command: what its shared subcommands say about its role. */
public interface NodeRole {
  /** The role's name on chain ({@code miner} or {@code validator}). */
  String roleName();

  /** The command that gives the account its role, for hints ({@code miner join ...}). */
  String joinCommand();
}
