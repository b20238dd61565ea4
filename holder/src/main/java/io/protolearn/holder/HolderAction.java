package io.protolearn.holder;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.cli.ChainSession;
import io.protolearn.cli.CliCommand;
import io.protolearn.cli.Ether;
import io.protolearn.cli.config.ChainOptions;
import io.protolearn.cli.config.KeyOptions;
import java.math.BigInteger;
import picocli.CommandLine.Mixin;

/** A holder's subcommand: signs as its keystore's account on the deployment's chain. */
abstract class HolderAction extends CliCommand {
  /** Shares are shown to this many decimals, rounded down. */
  static final int SHARE_DECIMALS = 6;

  @Mixin ChainOptions chain;
  @Mixin KeyOptions keys;

  /** Unlocks the keystore and connects, after checking the chain is the deployment's. */
  ProtocolClient connect() {
    var deployment = chain.deployment();
    return ChainSession.connect(deployment, keys.unlock(env()));
  }

  static String shares(BigInteger units) {
    return Ether.format(units, SHARE_DECIMALS);
  }
}
