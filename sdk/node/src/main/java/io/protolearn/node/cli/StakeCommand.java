package io.protolearn.node.cli;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.cli.Ether;
import io.protolearn.cli.UserException;
import java.math.BigInteger;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Adds native ETH to the account's stake in the run. */
@Command(
    name = "stake",
    mixinStandardHelpOptions = true,
    description = "Stake native ETH in the run (it backs this node's work and can be slashed).")
public final class StakeCommand extends ChainCommand {
  @Option(
      names = "--amount",
      paramLabel = "ETH",
      required = true,
      converter = Ether.Converter.class,
      description = "How much ETH to stake, e.g. 2 or 0.5.")
  BigInteger amount;

  @Override
  public Integer call() {
    try (ProtocolClient client = connectSigner()) {
      String me = client.address();
      BigInteger balance = client.balanceOf(me);
      if (balance.compareTo(amount) < 0) {
        throw new UserException(
            "account "
                + me
                + " holds "
                + Ether.eth(balance)
                + ", not enough to stake "
                + Ether.eth(amount));
      }
      TransactionReceipt r = client.staking().stake(amount);
      BigInteger staked = client.staking().account(me).staked();
      out()
          .printf(
              "staked %s in run %d from %s (%s); active stake now %s%n",
              Ether.eth(amount), client.runs().runId(), me, tx(r), Ether.eth(staked));
    }
    return 0;
  }
}
