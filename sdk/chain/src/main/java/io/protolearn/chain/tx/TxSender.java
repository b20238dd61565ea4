package io.protolearn.chain.tx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
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
    try {
      BigInteger gasLimit = estimateGas(to, data, value);
      BigInteger gasPrice = web3j.ethGasPrice().send().getGasPrice();
      EthSendTransaction sent = txManager.sendTransaction(gasPrice, gasLimit, to, data, value);
      if (sent.hasError()) {
        throw revert(sent.getError());
      }
      TransactionReceipt receipt = receipts.waitForTransactionReceipt(sent.getTransactionHash());
      if (!receipt.isStatusOK()) {
        throw replay(to, data, value, receipt);
      }
      return receipt;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (TransactionException e) {
      throw new IllegalStateException("no receipt for a sent transaction: " + e.getMessage(), e);
    }
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
