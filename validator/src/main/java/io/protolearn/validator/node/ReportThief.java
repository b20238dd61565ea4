package io.protolearn.validator.node;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.tx.ProtocolRevertException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Transaction;

/**
 * The report-thief adversary of the devnet demo ({@code validator run --adversary report-thief}):
 * an otherwise honest validator that watches the pending transactions for other validators' fraud
 * proofs and challenges and sends each one again, byte for byte, from its own account (DESIGN §6
 * v2, the mempool copy), unsimulated and at twice the original's gas price, so that it is mined
 * first in the same block. Before reports were committed first, the copy took the reward; now it
 * has no commitment of its own behind it: it reverts, and the thief pays its gas for nothing. It
 * logs every copy and its outcome, and a summary line the demo's test reads: {@code report-thief: N
 * copies sent, S stolen}.
 */
public final class ReportThief implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReportThief.class);

  /**
   * The DisputeManager calls that are not report reveals; every other call to it is a proof or a
   * challenge (the functions that pay their sender).
   */
  static final Set<String> NOT_REVEALS =
      Set.of(
          selector("commitReport(bytes32)"),
          selector("drawJury(uint256)"),
          selector("commitVote(uint256,bytes32)"),
          selector("revealVote(uint256,bool,bytes32)"),
          selector("resolve(uint256)"),
          selector("withdrawPayments()"));

  private final ProtocolClient client;
  private final String disputes;
  private final Thread thread;
  private final AtomicLong copies = new AtomicLong();
  private final AtomicLong stolen = new AtomicLong();
  private volatile boolean running = true;

  public ReportThief(ProtocolClient client) {
    this.client = client;
    this.disputes = client.disputes().address().toLowerCase(Locale.ROOT);
    this.thread = new Thread(this::watch, "report-thief");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void watch() {
    BigInteger filter = null;
    while (running) {
      try {
        if (filter == null) {
          EthFilter f = client.web3j().ethNewPendingTransactionFilter().send();
          if (f.hasError()) {
            LOG.warn("report-thief: no pending-transaction filter: {}", f.getError().getMessage());
            return;
          }
          filter = f.getFilterId();
        }
        EthLog changes = client.web3j().ethGetFilterChanges(filter).send();
        if (changes.hasError()) {
          filter = null; // expired: make a new one
        } else {
          for (EthLog.LogResult<?> r : changes.getLogs()) {
            copy(String.valueOf(r.get()));
          }
        }
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        LOG.debug("report-thief: {}", e.toString());
      }
    }
  }

  private void copy(String hash) throws IOException {
    Transaction tx =
        client.web3j().ethGetTransactionByHash(hash).send().getTransaction().orElse(null);
    if (tx == null
        || tx.getTo() == null
        || !tx.getTo().toLowerCase(Locale.ROOT).equals(disputes)
        || tx.getFrom().equalsIgnoreCase(client.address())
        || tx.getInput() == null
        || tx.getInput().length() < 10
        || NOT_REVEALS.contains(tx.getInput().substring(0, 10).toLowerCase(Locale.ROOT))) {
      return;
    }
    long n = copies.incrementAndGet();
    try {
      // not simulated (the original, still pending, may already count in the state a simulation
      // sees) and priced above the original, so that the node mines the copy first
      BigInteger price = tx.getGasPrice().multiply(BigInteger.TWO).add(BigInteger.ONE);
      client.sendUnsimulated(tx.getTo(), tx.getInput(), tx.getValue(), tx.getGas(), price);
      stolen.incrementAndGet();
      LOG.warn("report-thief: copy of {}'s report {} went through", tx.getFrom(), hash);
    } catch (ProtocolRevertException e) {
      LOG.info(
          "report-thief: copy of {}'s report {} refused: {}", tx.getFrom(), hash, e.errorName());
    }
    LOG.info("report-thief: {} copies sent, {} stolen", n, stolen.get());
  }

  private static String selector(String signature) {
    return Hash.sha3String(signature).substring(0, 10);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
