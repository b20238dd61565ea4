package io.protolearn.devnet.demo;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.model.Challenge;
import io.protolearn.chain.model.RoundInfo;
import io.protolearn.chain.tx.ProtocolRevertException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * What the demo does once its nodes have stopped, so that the report shows every reported round
 * settled: resolves the challenges of those rounds whose votes are over, finalizes the rounds, and
 * claims each participant's work and withdraws its dispute payments with its own key (what a node
 * left undone when it was stopped, or crashed, is done here). The chain keeps its clock meanwhile.
 */
public final class Settlement {

  private final ProtocolClient reader;
  private final IntFunction<ProtocolClient> clients;
  private final List<Participant> people;
  private final PrintWriter out;

  /** Rounds the demo claimed for each participant (the nodes had not). */
  private final Map<String, List<Long>> claimedHere = new LinkedHashMap<>();

  /**
   * @param clients a client signing with chain account i (0: the deployer)
   */
  public Settlement(
      ProtocolClient reader,
      IntFunction<ProtocolClient> clients,
      List<Participant> people,
      PrintWriter out) {
    this.reader = reader;
    this.clients = clients;
    this.people = people;
    this.out = out;
  }

  /** Resolves, finalizes and claims every round from {@code first} to {@code last}. */
  public void settle(long first, long last) throws InterruptedException {
    int resolved = resolveChallenges(last);
    int finalized = 0;
    try (ProtocolClient deployer = clients.apply(0)) {
      for (long r = first; r <= last; r++) {
        awaitBlock(reader.runs().clock(r).voteEnd() + 1);
        RoundInfo info = reader.runs().roundInfo(r);
        if (info.finalized()) {
          continue;
        }
        try {
          deployer.runs().finalizeRound(r);
          finalized++;
        } catch (ProtocolRevertException e) {
          out.printf("  round %d cannot be finalized: %s%n", r, e.getMessage());
        }
      }
    }
    int claims = 0;
    for (Participant p : people) {
      List<Long> owed = new ArrayList<>();
      for (long r = first; r <= last; r++) {
        if (reader.runs().claimable(r, p.address).signum() > 0) {
          owed.add(r);
        }
      }
      BigInteger payments = reader.disputes().owedTo(p.address);
      if (owed.isEmpty() && payments.signum() == 0) {
        continue;
      }
      try (ProtocolClient own = clients.apply(p.account)) {
        if (!owed.isEmpty()) {
          own.runs().claimMany(owed);
          claimedHere.put(p.name, owed);
          claims += owed.size();
        }
        if (payments.signum() > 0) {
          own.disputes().withdrawPayments();
        }
      }
    }
    out.printf(
        "  settled rounds %d..%d: %d challenges resolved, %d rounds finalized, %d claims the"
            + " nodes had left sent%n",
        first, last, resolved, finalized, claims);
  }

  /** Rounds the demo claimed for each participant, by name. */
  public Map<String, List<Long>> claimedHere() {
    return claimedHere;
  }

  private int resolveChallenges(long last) throws InterruptedException {
    int resolved = 0;
    try (ProtocolClient deployer = clients.apply(0)) {
      for (long id = 1; id <= reader.disputes().challengeCount(); id++) {
        Challenge ch = reader.disputes().challenge(id);
        if (!ch.open() || ch.round() > last) {
          continue;
        }
        // a jury still to draw is drawn (the first, or the redraw after too few reveals), then its
        // vote waited out; a redraw's jury has no third chance, so two passes settle it
        for (int pass = 0; ch.open() && pass < 3; pass++) {
          try {
            if (ch.juryDue()) {
              awaitBlock(ch.drawBlock() + 1);
              deployer.disputes().drawJury(id);
              ch = reader.disputes().challenge(id);
            }
            awaitBlock(ch.voteEnd() + 1);
            deployer.disputes().resolve(id);
          } catch (ProtocolRevertException e) {
            out.printf("  challenge %d cannot be resolved: %s%n", id, e.getMessage());
            break;
          }
          ch = reader.disputes().challenge(id);
        }
        if (!ch.open()) {
          resolved++;
        }
      }
    }
    return resolved;
  }

  private void awaitBlock(long block) throws InterruptedException {
    while (reader.blockNumber() < block) {
      Thread.sleep(200);
    }
  }
}
