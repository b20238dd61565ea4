package io.protolearn.chain.tx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Sends signed transactions and turns every refusal into a {@link ProtocolRevertException} carrying
 * the contract's custom error: the call is simulated first ({@code eth_estimateGas}), and a
 * transaction that still fails on chain is replayed with {@code eth_call} at its block to recover
 * the reason.
 */
public final class TxSender {
  private static final Logger LOG = LoggerFactory.getLogger(TxSender.class);
  private final Web3j web3j;
  private final Credentials credentials;
  private final RawTransactionManager txManager;
  private final PollingTransactionReceiptProcessor receipts;
  private final RevertDecoder decoder;

  public TxSender(Web3j web3j, Credentials credentials, long chainId, Duration pollInterval) {
    this.web3j = web3j;
    this.credentials = credentials;
    this.txManager = new RawTransactionManager(web3j, credentials, chainId);
    this.receipts =
        new PollingTransactionReceiptProcessor(
            web3j,
            pollInterval.toMillis(),
            (int) Math.max(60, 600_000 / Math.max(1, pollInterval.toMillis())));
    this.decoder = RevertDecoder.standard();
  }

  public String from() {
    return credentials.getAddress();
  }

  public Credentials credentials() {
    return credentials;
  }

  public Web3j web3j() {
    return web3j;
  }

  /** Sends {@code data} to {@code to} with {@code value} wei and waits for the receipt. */
  public TransactionReceipt send(String to, String data, BigInteger value) {
    return submit(sign(to, data, value), false);
  }

  /**
   * A transaction signed but not sent: its hash is fixed before it leaves, so a caller can write it
   * down first and, after a crash, send the very same bytes again instead of a second transaction
   * (same nonce: the chain includes it at most once).
   */
  public record SignedTx(String to, String data, BigInteger value, String raw, String hash) {}

  /** Simulates (a refusal throws {@link ProtocolRevertException}), then signs at the next nonce. */
  public SignedTx sign(String to, String data, BigInteger value) {
    try {
      BigInteger gasLimit = estimateGas(to, data, value);
      BigInteger gasPrice = web3j.ethGasPrice().send().getGasPrice();
      return signAt(to, data, value, gasLimit, gasPrice);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Signs at the next nonce without simulating first, at the given gas limit and price, sends and
   * waits for the receipt (a failed transaction becomes a {@link ProtocolRevertException}). For a
   * transaction meant to be mined ahead of another one in the same block, whatever the state it
   * would be simulated against — the devnet's report-thief adversary.
   */
  public TransactionReceipt sendUnsimulated(
      String to, String data, BigInteger value, BigInteger gasLimit, BigInteger gasPrice) {
    try {
      return submit(signAt(to, data, value, gasLimit, gasPrice), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Signs at the account's next nonce (pending transactions counted). */
  private SignedTx signAt(
      String to, String data, BigInteger value, BigInteger gasLimit, BigInteger gasPrice)
      throws IOException {
    BigInteger nonce =
        web3j
            .ethGetTransactionCount(from(), DefaultBlockParameterName.PENDING)
            .send()
            .getTransactionCount();
    String raw =
        txManager.sign(
            RawTransaction.createTransaction(nonce, gasPrice, gasLimit, to, value, data));
    return new SignedTx(to, data, value, raw, Hash.sha3(raw));
  }

  /**
   * Sends a signed transaction, or sends it again: a node that already has it (in its pool or in a
   * block) is not an error. Waits for the receipt; a failed transaction becomes a {@link
   * ProtocolRevertException}.
   */
  public TransactionReceipt submit(SignedTx tx) {
    return submit(tx, true);
  }

  /** {@code maybeSentBefore}: look for a receipt first (a fresh transaction cannot have one). */
  private TransactionReceipt submit(SignedTx tx, boolean maybeSentBefore) {
    try {
      Optional<TransactionReceipt> mined =
          maybeSentBefore ? receiptOf(tx.hash()) : Optional.empty();
      if (mined.isEmpty()) {
        EthSendTransaction sent = web3j.ethSendRawTransaction(tx.raw()).send();
        if (sent.hasError() && !alreadyKnown(sent.getError().getMessage())) {
          if (nonceTaken(sent.getError().getMessage()) && receiptOf(tx.hash()).isEmpty()) {
            throw new NonceTakenException(tx.hash());
          }
          throw revert(sent.getError());
        }
      }
      TransactionReceipt receipt =
          mined.isPresent() ? mined.get() : receipts.waitForTransactionReceipt(tx.hash());
      if (!receipt.isStatusOK()) {
        throw replay(tx.to(), tx.data(), tx.value(), receipt);
      }
      return receipt;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (TransactionException e) {
      throw new IllegalStateException("no receipt for a sent transaction: " + e.getMessage(), e);
    }
  }

  /** The receipt of a mined transaction, empty while it is pending or unknown. */
  public Optional<TransactionReceipt> receiptOf(String txHash) {
    try {
      return web3j.ethGetTransactionReceipt(txHash).send().getTransactionReceipt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A signed transaction that can never be included: another transaction of the sender took its
   * nonce. Sign a new one if it is still wanted.
   */
  public static final class NonceTakenException extends RuntimeException {
    public NonceTakenException(String txHash) {
      super("transaction " + txHash + " can no longer be included: its nonce was used by another");
    }
  }

  private static boolean nonceTaken(String message) {
    return message != null && message.toLowerCase(java.util.Locale.ROOT).contains("nonce too low");
  }

  /** The node's words for "I have this transaction already" (anvil, geth, Hardhat). */
  private static boolean alreadyKnown(String message) {
    String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
    return m.contains("already known")
        || m.contains("already imported")
        || m.contains("known transaction")
        || m.contains("already exists");
  }

  /** Sends and returns only once the receipt is in; alias for readability at call sites. */
  public TransactionReceipt send(String to, String data) {
    return send(to, data, BigInteger.ZERO);
  }

  /** A read-only call; a revert becomes a {@link ProtocolRevertException}. */
  public String call(String to, String data) {
    try {
      EthCall res =
          web3j
              .ethCall(
                  Transaction.createEthCallTransaction(from(), to, data),
                  DefaultBlockParameterName.LATEST)
              .send();
      if (res.hasError()) {
        throw revert(res.getError());
      }
      return res.getValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private BigInteger estimateGas(String to, String data, BigInteger value) throws IOException {
    Transaction tx =
        Transaction.createFunctionCallTransaction(from(), null, null, null, to, value, data);
    EthEstimateGas est = web3j.ethEstimateGas(tx).send();
    if (est.hasError()) {
      throw revert(est.getError());
    }
    BigInteger gas = est.getAmountUsed();
    return gas.add(gas.divide(BigInteger.valueOf(4))).add(BigInteger.valueOf(10_000));
  }

  private ProtocolRevertException replay(
      String to, String data, BigInteger value, TransactionReceipt receipt) throws IOException {
    Transaction tx =
        Transaction.createFunctionCallTransaction(from(), null, null, null, to, value, data);
    EthCall res =
        web3j
            .ethCall(
                tx,
                DefaultBlockParameter.valueOf(receipt.getBlockNumber().subtract(BigInteger.ONE)))
            .send();
    LOG.debug("transaction {} failed on chain", receipt.getTransactionHash());
    if (res.hasError()) {
      return revert(res.getError());
    }
    return new ProtocolRevertException(
        "Unknown", java.util.List.of("status 0 in " + receipt.getTransactionHash()), "");
  }

  private ProtocolRevertException revert(Response.Error error) {
    Object data = error.getData();
    String hex = data == null ? null : data.toString().replace("\"", "");
    if (hex != null && hex.startsWith("0x")) {
      return decoder.decode(hex);
    }
    return new ProtocolRevertException("Unknown", java.util.List.of(error.getMessage()), "");
  }
}
