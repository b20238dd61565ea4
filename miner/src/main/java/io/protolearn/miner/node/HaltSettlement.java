package io.protolearn.miner.node;

import io.protolearn.chain.client.RunClient;
import io.protolearn.chain.model.CommitmentInfo;
import io.protolearn.chain.model.RoundInfo;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.cli.Ether;
import io.protolearn.protocol.crypto.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a halted run still owes this miner (DESIGN.md §8: claims of finalized rounds still work):
 * every round before {@code haltedFromRound}, within the retention window, that the journal says
 * this miner committed and that is neither claimed nor convicted. {@link #settle} finalizes such a
 * round once its vote window has passed and no dispute of it is open (anyone may finalize), claims
 * it once final, and returns the rounds still owed.
 */
final class HaltSettlement {
  private static final Logger LOG = LoggerFactory.getLogger(HaltSettlement.class);

  private final RunClient runs;
  private final RoundJournal journal;
  private final Address me;
  private final int retentionRounds;

  HaltSettlement(RunClient runs, RoundJournal journal, Address me, int retentionRounds) {
    this.runs = runs;
    this.journal = journal;
    this.me = me;
    this.retentionRounds = retentionRounds;
  }

  /** Does what is due at block {@code head}; the rounds still owed (empty: nothing left). */
  List<Long> settle(long haltedFromRound, long head, Consumer<String> say) {
    List<Long> owed = new ArrayList<>();
    for (long q = Math.max(0, haltedFromRound - retentionRounds); q < haltedFromRound; q++) {
      if (!journal.committed(q)) {
        continue;
      }
      CommitmentInfo ci = runs.commitmentOf(q, me.toHex());
      if (!ci.committed() || ci.claimed() || ci.convicted()) {
        continue;
      }
      if (!finalized(q, head)) {
        owed.add(q);
        continue;
      }
      BigInteger amount = runs.claimable(q, me.toHex());
      try {
        var receipt = runs.claim(q);
        say.accept(
            String.format(
                "claimed %s shares for round %d after the halt (tx %s)",
                Ether.format(amount), q, receipt.getTransactionHash()));
      } catch (ProtocolRevertException e) {
        // a refusal here is final (nothing claimable): waiting would not change it
        LOG.warn("claim of round {} refused after the halt: {}", q, e.getMessage());
      }
    }
    return owed;
  }

  private boolean finalized(long q, long head) {
    RoundInfo info = runs.roundInfo(q);
    if (info.finalized()) {
      return true;
    }
    if (head < runs.clock(q).voteEnd() || info.openDisputes() > 0) {
      return false; // the vote window is open or a dispute waits for its jury
    }
    try {
      runs.finalizeRound(q);
      return true;
    } catch (ProtocolRevertException e) {
      LOG.debug("round {}: not finalized yet: {}", q, e.getMessage());
      return runs.roundInfo(q).finalized();
    }
  }
}
