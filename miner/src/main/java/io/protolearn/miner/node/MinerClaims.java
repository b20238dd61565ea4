package io.protolearn.miner.node;

import io.protolearn.chain.client.RunClient;
import io.protolearn.chain.model.CommitmentInfo;
import io.protolearn.cli.Ether;
import io.protolearn.node.settle.RoundSettler;
import io.protolearn.protocol.crypto.Address;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The miner's shares (DESIGN.md §6, §8): every round it committed, within the retention window, is
 * claimed once final; after a halt the rounds before it are finalized here when due (anyone may)
 * and claimed, claims of finalized rounds still working on a halted run.
 */
final class MinerClaims {
  private final RunClient runs;
  private final RoundJournal journal;
  private final Address me;
  private final int retentionRounds;
  private final RoundSettler running;
  private final RoundSettler halted;
  private final Set<Long> claimedRounds = new HashSet<>();

  MinerClaims(RunClient runs, RoundJournal journal, Address me, int retentionRounds) {
    this.runs = runs;
    this.journal = journal;
    this.me = me;
    this.retentionRounds = retentionRounds;
    this.running = new RoundSettler(runs, me.toHex(), RoundSettler.Policy.MINER);
    this.halted = new RoundSettler(runs, me.toHex(), RoundSettler.Policy.MINER_HALTED);
  }

  /** The shares of the committed rounds before {@code r} not claimed yet. */
  BigInteger claimableTotal(long r) {
    BigInteger total = BigInteger.ZERO;
    for (long q = Math.max(0, r - retentionRounds); q < r; q++) {
      if (journal.committed(q) && !claimedRounds.contains(q)) {
        total = total.add(runs.claimable(q, me.toHex()));
      }
    }
    return total;
  }

  /** Claims the committed rounds before {@code r} that someone finalized. */
  void claimFinalized(long r, long head, Consumer<String> say) {
    running.settle(
        Math.max(0, r - retentionRounds),
        r,
        head,
        q -> {
          if (!journal.committed(q) || claimedRounds.contains(q)) {
            return false;
          }
          CommitmentInfo ci = runs.commitmentOf(q, me.toHex());
          if (ci.claimed() || ci.convicted()) {
            claimedRounds.add(q);
            return false;
          }
          return true;
        },
        c -> {
          claimedRounds.add(c.round());
          say.accept(
              String.format(
                  "claimed %s shares for round %d (tx %s)",
                  Ether.format(c.amount()), c.round(), c.receipt().getTransactionHash()));
        });
  }

  /**
   * After a halt: does what is due at block {@code head} for the rounds before {@code
   * haltedFromRound}; the rounds still owed (empty: nothing left).
   */
  List<Long> settleHalted(long haltedFromRound, long head, Consumer<String> say) {
    return halted
        .settle(
            Math.max(0, haltedFromRound - retentionRounds),
            haltedFromRound,
            head,
            q -> {
              if (!journal.committed(q)) {
                return false;
              }
              CommitmentInfo ci = runs.commitmentOf(q, me.toHex());
              return ci.committed() && !ci.claimed() && !ci.convicted();
            },
            c ->
                say.accept(
                    String.format(
                        "claimed %s shares for round %d after the halt (tx %s)",
                        Ether.format(c.amount()), c.round(), c.receipt().getTransactionHash())))
        .pending();
  }
}
