package io.protolearn.node.cli;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.cli.ChainSession;
import io.protolearn.cli.config.ChainOptions;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import picocli.CommandLine.Mixin;

/** A subcommand that talks to the chain as this node's account. */
public abstract class ChainCommand extends NodeCommand {
  @Mixin protected ChainOptions chain;

  /** Unlocks the keystore and connects as its account. */
  protected ProtocolClient connectSigner() {
    var deployment = chain.deployment();
    Credentials credentials = keys.unlock(storage, env());
    return ChainSession.connect(deployment, credentials);
  }

  /** Connects for reading only: no password needed. */
  protected ProtocolClient connectReader() {
    return ChainSession.connectReadOnly(chain.deployment());
  }

  protected static String tx(TransactionReceipt r) {
    return "tx " + r.getTransactionHash() + ", block " + r.getBlockNumber();
  }
}
