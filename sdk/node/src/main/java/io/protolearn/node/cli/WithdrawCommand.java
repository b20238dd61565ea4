package io.protolearn.node.cli;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.cli.Ether;
import java.math.BigInteger;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import picocli.CommandLine.Command;

/** Withdraws the unbonded stake once its release block has passed. */
@Command(
    name = "withdraw",
    mixinStandardHelpOptions = true,
    description = "Withdraw unbonded stake whose release block has passed.")
public final class WithdrawCommand extends ChainCommand {

  @Override
  public Integer call() {
    try (ProtocolClient client = connectSigner()) {
      BigInteger unbonding = client.staking().account(client.address()).unbonding();
      TransactionReceipt r = client.staking().withdraw();
      out()
          .printf(
              "withdrew %s to %s (%s); balance now %s%n",
              Ether.eth(unbonding),
              client.address(),
              tx(r),
              Ether.eth(client.balanceOf(client.address())));
    }
    return 0;
  }
}
