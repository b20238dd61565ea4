package io.protolearn.node.cli;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.cli.Ether;
import io.protolearn.cli.UserException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Claims the model shares earned in finalized rounds. */
@Command(
    name = "claim",
    mixinStandardHelpOptions = true,
    description =
        "Claim the model shares this account earned in finalized rounds (by default every"
            + " claimable round among the recent ones).")
public final class ClaimCommand extends ChainCommand {
  public static final int DEFAULT_LOOKBACK = 32;

  @Option(
      names = "--rounds",
      paramLabel = "ROUND",
      split = ",",
      description = "Rounds to claim, e.g. 3,4,5 (default: every claimable recent round).")
  List<Long> rounds;

  @Option(
      names = "--lookback",
      paramLabel = "N",
      defaultValue = "" + DEFAULT_LOOKBACK,
      description =
          "Without --rounds: how many recent rounds to search (default: ${DEFAULT-VALUE}).")
  int lookback;

  @Override
  public Integer call() {
    if (lookback < 1) {
      throw new UserException("--lookback must be at least 1");
    }
    try (ProtocolClient client = connectSigner()) {
      String me = client.address();
      List<Long> toClaim = rounds != null ? rounds : claimable(client, me);
      if (toClaim.isEmpty()) {
        long current = client.runs().currentRound();
        out()
            .printf(
                "nothing to claim for %s in rounds %d..%d%n",
                me, Math.max(0, current - lookback), current);
        return 0;
      }
      BigInteger before = client.shares().balanceOf(me);
      TransactionReceipt r =
          toClaim.size() == 1
              ? client.runs().claim(toClaim.get(0))
              : client.runs().claimMany(toClaim);
      BigInteger gained = client.shares().balanceOf(me).subtract(before);
      out()
          .printf(
              "claimed %s shares for round(s) %s (%s); balance %s shares%n",
              Ether.format(gained), toClaim, tx(r), Ether.format(before.add(gained)));
    }
    return 0;
  }

  private List<Long> claimable(ProtocolClient client, String me) {
    long current = client.runs().currentRound();
    List<Long> out = new ArrayList<>();
    for (long round = Math.max(0, current - lookback); round <= current; round++) {
      if (client.runs().claimable(round, me).signum() > 0) {
        out.add(round);
      }
    }
    return out;
  }
}
