package io.protolearn.holder;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.cli.Ether;
import io.protolearn.cli.UserException;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import org.web3j.crypto.WalletUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code protolearn shares balance|transfer|delegate}. */
@Command(
    name = "shares",
    mixinStandardHelpOptions = true,
    description = "Model shares: balance, transfer, delegate.",
    subcommands = {
      SharesCommand.Balance.class,
      SharesCommand.Transfer.class,
      SharesCommand.Delegate.class
    })
final class SharesCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  static String address(String a) {
    if (!WalletUtils.isValidAddress(a)) {
      throw new UserException("not an address: '" + a + "'");
    }
    return a;
  }

  @Command(
      name = "balance",
      mixinStandardHelpOptions = true,
      description = "Shares, votes and delegate of an account.")
  static final class Balance extends HolderAction {

    @Option(names = "--account", description = "Account to show (default: the keystore's).")
    String account;

    @Override
    public Integer call() throws Exception {
      try (ProtocolClient c = connect()) {
        String who = account == null ? c.address() : address(account);
        BigInteger balance = c.shares().balanceOf(who);
        out()
            .printf(
                "%s: %s shares (%s of %s), %s votes, delegate %s%n",
                who,
                shares(balance),
                percent(balance, c.shares().totalSupply()),
                shares(c.shares().totalSupply()),
                shares(c.shares().votes(who)),
                c.shares().delegates(who));
      }
      return 0;
    }

    private static String percent(BigInteger part, BigInteger whole) {
      if (whole.signum() == 0) {
        return "0%";
      }
      return new java.math.BigDecimal(part)
              .multiply(java.math.BigDecimal.valueOf(100))
              .divide(new java.math.BigDecimal(whole), 2, java.math.RoundingMode.DOWN)
          + "%";
    }
  }

  @Command(
      name = "transfer",
      mixinStandardHelpOptions = true,
      description = "Send shares to an address.")
  static final class Transfer extends HolderAction {

    @Option(names = "--to", required = true, description = "Recipient address.")
    String to;

    @Option(
        names = "--amount",
        required = true,
        description = "Shares to send (decimal, e.g. 12.5).")
    String amount;

    @Override
    public Integer call() throws Exception {
      String recipient = address(to);
      BigInteger units = Ether.parse(amount, "shares");
      try (ProtocolClient c = connect()) {
        BigInteger have = c.shares().balanceOf(c.address());
        if (have.compareTo(units) < 0) {
          throw new UserException("you hold " + shares(have) + " shares, not " + amount);
        }
        var receipt = c.shares().transfer(recipient, units);
        out()
            .printf(
                "sent %s shares to %s (tx %s)%n", amount, recipient, receipt.getTransactionHash());
      }
      return 0;
    }
  }

  @Command(
      name = "delegate",
      mixinStandardHelpOptions = true,
      description =
          "Give your voting power to an address (yourself by default), so it counts in votes.")
  static final class Delegate extends HolderAction {

    @Option(names = "--to", description = "Delegatee (default: yourself).")
    String to;

    @Override
    public Integer call() throws Exception {
      try (ProtocolClient c = connect()) {
        String delegatee = to == null ? c.address() : address(to);
        var receipt = c.shares().delegate(delegatee);
        out()
            .printf(
                "votes of %s now go to %s (tx %s)%n",
                c.address(), delegatee, receipt.getTransactionHash());
      }
      return 0;
    }
  }
}
