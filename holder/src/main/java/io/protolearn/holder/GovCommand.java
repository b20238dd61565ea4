package io.protolearn.holder;

import io.protolearn.chain.client.GovernanceClient;
import io.protolearn.chain.client.GovernanceClient.ProposalSummary;
import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.gov.ParamBounds;
import io.protolearn.chain.gov.RunAction;
import io.protolearn.cli.UserException;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code protolearn gov propose|vote|queue|execute|list|show}. */
@Command(
    name = "gov",
    mixinStandardHelpOptions = true,
    description = "The run's governance: proposals, votes, the timelock.",
    subcommands = {
      GovCommand.Propose.class,
      GovCommand.Vote.class,
      GovCommand.Queue.class,
      GovCommand.Execute.class,
      GovCommand.ListProposals.class,
      GovCommand.Show.class
    })
final class GovCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  static ProposalSummary find(ProtocolClient c, BigInteger id) {
    return c.governance()
        .find(id, c.deployment().deployBlock(), c.blockNumber())
        .orElseThrow(() -> new UserException("no proposal " + id + " on this run"));
  }

  /** Seconds per block over the last 20 blocks (1 when the chain is too young to tell). */
  static double secondsPerBlock(ProtocolClient c) throws IOException {
    long head = c.blockNumber();
    long from = Math.max(0, head - 20);
    if (head == from) {
      return 1;
    }
    long t1 = timestamp(c, head);
    long t0 = timestamp(c, from);
    return Math.max(1e-3, (double) (t1 - t0) / (head - from));
  }

  private static long timestamp(ProtocolClient c, long block) throws IOException {
    return c.web3j()
        .ethGetBlockByNumber(
            org.web3j.protocol.core.DefaultBlockParameter.valueOf(BigInteger.valueOf(block)), false)
        .send()
        .getBlock()
        .getTimestamp()
        .longValueExact();
  }

  static String when(long block, long head, double secondsPerBlock) {
    long blocks = block - head;
    if (blocks <= 0) {
      return "block " + block + " (passed)";
    }
    long seconds = Math.round(blocks * secondsPerBlock);
    String time = seconds < 120 ? seconds + " s" : (seconds / 60) + " min";
    return "block " + block + " (in " + blocks + " blocks, ~" + time + ")";
  }

  static void print(PrintWriter out, ProposalSummary s, long head, double spb) {
    out.printf("proposal %s  [%s]%n", s.id(), s.state());
    out.printf("  %s%n", s.proposal().description());
    out.printf("  proposer %s%n", s.proposer());
    out.printf(
        "  votes: for %s, against %s, abstain %s; quorum %s%n",
        HolderAction.shares(s.forVotes()),
        HolderAction.shares(s.against()),
        HolderAction.shares(s.abstain()),
        s.quorum().signum() == 0 ? "(set at the snapshot)" : HolderAction.shares(s.quorum()));
    out.printf("  voting opens after %s%n", when(s.snapshot(), head, spb));
    out.printf("  voting closes at %s%n", when(s.deadline(), head, spb));
    if (s.eta() > 0) {
      out.printf("  executable from timestamp %d%n", s.eta());
    }
  }

  static final class ActionChoice {
    @Option(names = "--set", description = "NAME=VALUE: change one run parameter.")
    String set;

    @Option(names = "--pause", description = "Pause the run.")
    boolean pause;

    @Option(names = "--resume", description = "Resume a paused run.")
    boolean resume;

    @Option(names = "--halt", description = "Halt the run for good.")
    boolean halt;

    RunAction action() {
      if (set != null) {
        int eq = set.indexOf('=');
        if (eq <= 0) {
          throw new UserException("--set takes NAME=VALUE, got '" + set + "'");
        }
        String name = set.substring(0, eq).trim();
        BigInteger value;
        try {
          value = new BigInteger(set.substring(eq + 1).trim());
        } catch (NumberFormatException e) {
          throw new UserException("--set " + name + " needs an integer value");
        }
        try {
          return new RunAction.SetParam(name, value);
        } catch (IllegalArgumentException e) {
          throw new UserException(e.getMessage());
        }
      }
      if (pause) {
        return new RunAction.Pause();
      }
      if (resume) {
        return new RunAction.Resume();
      }
      return new RunAction.Halt();
    }
  }

  @Command(
      name = "propose",
      mixinStandardHelpOptions = true,
      description = "Propose one action on the run: --set NAME=VALUE, --pause, --resume or --halt.",
      footer =
          "Parameter names: minMinerStake, minValidatorStake, sampleRateBps, slashBps, challengeBond, jurorCount, jurorBond, commitBlocks, checkBlocks, voteBlocks, sharesPerRound, validatorShareBps, unbondingBlocks.")
  static final class Propose extends HolderAction {

    @ArgGroup(exclusive = true, multiplicity = "1")
    ActionChoice choice;

    @Option(names = "--description", required = true, description = "What and why, for voters.")
    String description;

    @Override
    public Integer call() throws Exception {
      RunAction action = choice.action();
      try (ProtocolClient c = connect()) {
        GovernanceClient gov = c.governance();
        GovernanceClient.Proposal p;
        try {
          p = gov.proposal(action, c.runs(), description);
        } catch (IllegalArgumentException e) {
          throw new UserException(e.getMessage()); // out of bounds, or no description
        }
        BigInteger id = gov.propose(p);
        long head = c.blockNumber();
        double spb = secondsPerBlock(c);
        out().printf("proposed %s: %s%n", id, action.describe());
        out().printf("  voting opens after %s%n", when(gov.snapshot(id), head, spb));
        out().printf("  voting closes at %s%n", when(gov.deadline(id), head, spb));
      }
      return 0;
    }
  }

  @Command(name = "vote", mixinStandardHelpOptions = true, description = "Vote on a proposal.")
  static final class Vote extends HolderAction {

    @Option(names = "--proposal", required = true, description = "Proposal id.")
    BigInteger id;

    @Option(names = "--support", required = true, description = "for, against or abstain.")
    String support;

    @Option(names = "--reason", description = "Optional reason, recorded on chain.")
    String reason;

    @Override
    public Integer call() throws Exception {
      GovernanceClient.Support s;
      try {
        s = GovernanceClient.Support.valueOf(support.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new UserException("--support must be for, against or abstain, not '" + support + "'");
      }
      try (ProtocolClient c = connect()) {
        var receipt = c.governance().castVote(id, s, reason);
        List<BigInteger> v = c.governance().votes(id);
        out()
            .printf(
                "voted %s on %s (tx %s); now for %s, against %s, abstain %s%n",
                support.toLowerCase(Locale.ROOT),
                id,
                receipt.getTransactionHash(),
                HolderAction.shares(v.get(1)),
                HolderAction.shares(v.get(0)),
                HolderAction.shares(v.get(2)));
      }
      return 0;
    }
  }

  /** A step on an existing proposal: finds its content on chain, then acts on it. */
  abstract static class ProposalStep extends HolderAction {

    @Option(names = "--proposal", required = true, description = "Proposal id.")
    BigInteger id;

    abstract String act(ProtocolClient c, ProposalSummary s);

    @Override
    public Integer call() throws Exception {
      try (ProtocolClient c = connect()) {
        out().println(act(c, find(c, id)));
      }
      return 0;
    }
  }

  @Command(
      name = "queue",
      mixinStandardHelpOptions = true,
      description = "Queue a passed proposal in the timelock.")
  static final class Queue extends ProposalStep {
    @Override
    String act(ProtocolClient c, ProposalSummary s) {
      c.governance().queue(s.proposal());
      return "queued " + id + "; executable from timestamp " + c.governance().eta(id);
    }
  }

  @Command(
      name = "execute",
      mixinStandardHelpOptions = true,
      description = "Execute a queued proposal after the timelock delay.")
  static final class Execute extends ProposalStep {
    @Override
    String act(ProtocolClient c, ProposalSummary s) {
      var receipt = c.governance().execute(s.proposal());
      return "executed " + id + " (tx " + receipt.getTransactionHash() + ")";
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every proposal of the run.")
  static final class ListProposals extends HolderAction {

    @Override
    public Integer call() throws Exception {
      try (ProtocolClient c = connect()) {
        long head = c.blockNumber();
        double spb = secondsPerBlock(c);
        List<ProposalSummary> all = c.governance().list(c.deployment().deployBlock(), head);
        if (all.isEmpty()) {
          out().println("no proposals");
        }
        for (ProposalSummary s : all) {
          print(out(), s, head, spb);
        }
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One proposal in full.")
  static final class Show extends HolderAction {

    @Option(names = "--proposal", required = true, description = "Proposal id.")
    BigInteger id;

    @Override
    public Integer call() throws Exception {
      try (ProtocolClient c = connect()) {
        long head = c.blockNumber();
        print(out(), find(c, id), head, secondsPerBlock(c));
        out().printf("  parameters now: %s%n", ParamBounds.toMap(c.runs().latestParams()));
      }
      return 0;
    }
  }
}
