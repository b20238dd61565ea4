package io.protolearn.node.cli;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.model.StakeAccount;
import io.protolearn.cli.Ether;
import java.math.BigInteger;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts unbonding part of the stake; it stays slashable until it can be withdrawn. */
@Command(
    name = "unstake",
    mixinStandardHelpOptions = true,
    description =
        "Start unbonding stake (requestUnbond). It stays slashable until the release block,"
            + " then `withdraw` sends it back.")
public final class UnstakeCommand extends ChainCommand {
  @Option(
      names = "--amount",
      paramLabel = "ETH",
      required = true,
      converter = Ether.Converter.class,
      description = "How much ETH to unbond (not more than the stake above the role's minimum).")
  BigInteger amount;

  @Override
  public Integer call() {
    try (ProtocolClient client = connectSigner()) {
      TransactionReceipt r = client.staking().requestUnbond(amount);
      StakeAccount a = client.staking().account(client.address());
      out()
          .printf(
              "unbonding %s (%s); %s unbonding in all, withdrawable from block %s with `%s"
                  + " withdraw`%n",
              Ether.eth(amount), tx(r), Ether.eth(a.unbonding()), a.releaseBlock(), cli());
    }
    return 0;
  }
}
