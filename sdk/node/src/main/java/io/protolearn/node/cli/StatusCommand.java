package io.protolearn.node.cli;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.client.RunClient;
import io.protolearn.chain.model.AttestationInfo;
import io.protolearn.chain.model.CommitmentInfo;
import io.protolearn.chain.model.Member;
import io.protolearn.chain.model.RoundInfo;
import io.protolearn.chain.model.StakeAccount;
import io.protolearn.cli.Ether;
import io.protolearn.cli.UserException;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.run.MemberRole;
import java.io.PrintWriter;
import java.math.BigInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What the chain says about this node's account: stake and unbonding, role, stage and endpoint, the
 * run's round, shares and what recent rounds earned. Reads only, so it needs no password.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show this account's stake, role, endpoint, the current round, shares and recent rounds"
            + " (reads the keystore's address; no password needed).")
public final class StatusCommand extends ChainCommand {
  @Option(
      names = "--recent",
      paramLabel = "N",
      defaultValue = "5",
      description = "How many recent rounds to show (default: ${DEFAULT-VALUE}).")
  int recent;

  @Override
  public Integer call() {
    if (recent < 0) {
      throw new UserException("--recent must not be negative");
    }
    Address me = keys.address(storage);
    String account = me.toChecksumHex();
    try (ProtocolClient client = connectReader()) {
      PrintWriter out = out();
      RunClient runs = client.runs();
      long block = client.blockNumber();
      long round = runs.currentRound();
      long start = runs.spec().startBlock();
      out.printf("account    %s%n", account);
      out.printf(
          "run        %d on chain %d (%s), block %d, %s%n",
          runs.runId(),
          client.deployment().chainId(),
          client.deployment().rpcUrl(),
          block,
          block < start
              ? "starts at block " + start
              : "round "
                  + round
                  + " (commit deadline block "
                  + runs.clock(round).commitDeadline()
                  + ")");
      printRole(out, runs.memberOf(account));
      printStake(out, client.staking().account(account), block);
      out.printf(
          "balance    %s; shares %s%n",
          Ether.eth(client.balanceOf(account)), Ether.format(client.shares().balanceOf(account)));
      printRounds(out, runs, account, round);
    }
    return 0;
  }

  private void printRole(PrintWriter out, Member m) {
    if (m.role() == MemberRole.NONE) {
      out.printf("role       none (run `%s`)%n", role().joinCommand());
      return;
    }
    out.printf(
        "role       %s%s from round %s%s%n",
        m.isMiner() ? "miner" : "validator",
        m.isMiner() ? " of stage " + m.stage() : "",
        m.fromRound(),
        m.active() ? "" : " until round " + m.untilRound() + " (left)");
    out.printf("endpoint   %s%n", m.endpoint().isEmpty() ? "(none)" : m.endpoint());
  }

  private static void printStake(PrintWriter out, StakeAccount a, long block) {
    out.printf(
        "stake      %s active (role minimum %s), %s slashed%n",
        Ether.eth(a.staked()), Ether.eth(a.required()), Ether.eth(a.slashed()));
    if (a.unbonding().signum() > 0) {
      long release = a.releaseBlock();
      out.printf(
          "unbonding  %s, %s%s%n",
          Ether.eth(a.unbonding()),
          block >= release
              ? "withdrawable now"
              : "withdrawable at block " + release + " (in " + (release - block) + " blocks)",
          a.locks() > 0 ? ", locked by " + a.locks() + " open dispute(s)" : "");
    } else {
      out.printf("unbonding  none%n");
    }
  }

  private void printRounds(PrintWriter out, RunClient runs, String account, long current) {
    BigInteger total = BigInteger.ZERO;
    int shown = 0;
    for (long r = current; r >= 0 && r > current - recent; r--) {
      RoundInfo info = runs.roundInfo(r);
      CommitmentInfo c = runs.commitmentOf(r, account);
      AttestationInfo a = runs.attestationOf(r, account);
      BigInteger claimable = runs.claimable(r, account);
      total = total.add(claimable);
      StringBuilder line = new StringBuilder();
      if (c.committed()) {
        line.append("committed ").append(c.stepCount()).append(" steps");
        line.append(c.convicted() ? ", CONVICTED" : "");
      } else if (a.attested()) {
        line.append("attested ").append(a.checks()).append(" checks");
      } else {
        line.append("no work");
      }
      line.append(info.finalized() ? ", finalized" : ", open");
      if (c.claimed() || a.claimed()) {
        line.append(", claimed");
      } else if (claimable.signum() > 0) {
        line.append(", claimable ").append(Ether.format(claimable)).append(" shares");
      }
      out.printf("round %-4d %s%n", r, line);
      shown++;
    }
    if (shown > 0) {
      out.printf(
          "claimable  %s shares in the rounds shown%s%n",
          Ether.format(total), total.signum() > 0 ? " (run `" + cli() + " claim`)" : "");
    }
  }
}
