package io.protolearn.miner.node;

import io.protolearn.chain.client.RunClient;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.chain.tx.TxSender;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.round.RoundClock;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Sends a round's commit exactly once across restarts: the journal records the signed transaction
 * before it is sent, and a restarted node sends the same bytes again rather than a second commit.
 */
final class RoundCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(RoundCommitter.class);

  private final RunClient runs;
  private final RoundJournal journal;
  private final Address me;
  private final LongSupplier latestBlock;
  private final MinerMetrics metrics;
  private final Consumer<String> say;

  RoundCommitter(
      RunClient runs,
      RoundJournal journal,
      Address me,
      LongSupplier latestBlock,
      MinerMetrics metrics,
      Consumer<String> say) {
    this.runs = runs;
    this.journal = journal;
    this.me = me;
    this.latestBlock = latestBlock;
    this.metrics = metrics;
    this.say = say;
  }

  /** Sends the round's commit unless the journal or the chain says it is done; a description. */
  String ensureCommitted(long r, RoundJournal.Trained t, RoundClock clock) {
    if (journal.committed(r)) {
      return "done before";
    }
    if (runs.commitmentOf(r, me.toHex()).committed()) {
      journal.markCommitted(r, "found on chain");
      return "found on chain";
    }
    Optional<TxSender.SignedTx> signedBefore = journal.commitSigned(r);
    if (signedBefore.isEmpty() && latestBlock.getAsLong() > clock.commitDeadline()) {
      LOG.warn("round {}: the commit window closed before the commit was sent", r);
      return "missed (window closed)";
    }
    long t0 = System.nanoTime();
    try {
      TxSender.SignedTx signed;
      if (signedBefore.isPresent()) {
        // sent, perhaps, before a crash: the same bytes again, never a second commit
        signed = signedBefore.get();
        say.accept(
            "round "
                + r
                + ": commit signed before a restart; sending it again ("
                + signed.hash()
                + ")");
      } else {
        signed = runs.signCommit(r, t.commitment());
        journal.markCommitSigned(r, signed);
      }
      TransactionReceipt receipt;
      try {
        receipt = runs.submit(signed);
      } catch (TxSender.NonceTakenException stale) {
        // signed before a crash but never sent; the restarted node used its nonce since
        LOG.info("round {}: {}; signing the commit again", r, stale.getMessage());
        signed = runs.signCommit(r, t.commitment());
        journal.markCommitSigned(r, signed);
        receipt = runs.submit(signed);
      }
      metrics.committed((System.nanoTime() - t0) / 1e9);
      journal.markCommitted(r, receipt.getTransactionHash());
      return receipt.getTransactionHash() + " (block " + receipt.getBlockNumber() + ")";
    } catch (ProtocolRevertException e) {
      LOG.warn("round {}: commit refused: {}", r, e.getMessage());
      return "refused: " + e.getMessage();
    }
  }
}
