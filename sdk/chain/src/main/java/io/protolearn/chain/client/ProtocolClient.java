package io.protolearn.chain.client;

import io.protolearn.chain.contracts.DisputeManager;
import io.protolearn.chain.contracts.ModelShares;
import io.protolearn.chain.contracts.RunGovernor;
import io.protolearn.chain.contracts.RunManager;
import io.protolearn.chain.contracts.StakeManager;
import io.protolearn.chain.deploy.Deployment;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.chain.tx.TxSender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The protocol as miners, validators and holders use it: one signer on one deployment, with a
 * client per concern ({@link #staking()}, {@link #runs()}, {@link #disputes()}, {@link #shares()},
 * {@link #governance()}). Every refusal comes back as a {@link ProtocolRevertException} naming the
 * contract's custom error.
 */
public final class ProtocolClient implements AutoCloseable {
  private final Web3j web3j;
  private final TxSender tx;
  private final Deployment deployment;
  private final StakingClient staking;
  private final RunClient runs;
  private final DisputeClient disputes;
  private final SharesClient shares;
  private final GovernanceClient governance;

  private ProtocolClient(
      Web3j web3j, Credentials credentials, Deployment deployment, Duration poll) {
    this.web3j = web3j;
    this.deployment = deployment;
    this.tx = new TxSender(web3j, credentials, deployment.chainId(), poll);
    ReadonlyTransactionManager ro = new ReadonlyTransactionManager(web3j, credentials.getAddress());
    DefaultGasProvider gas = new DefaultGasProvider();
    Deployment.Contracts c = deployment.contracts();
    long runId = deployment.runId();
    this.staking =
        new StakingClient(tx, StakeManager.load(c.stakeManager(), web3j, ro, gas), runId);
    this.disputes =
        new DisputeClient(tx, DisputeManager.load(c.disputeManager(), web3j, ro, gas), runId);
    this.runs = new RunClient(tx, RunManager.load(c.runManager(), web3j, ro, gas), runId, disputes);
    this.shares = new SharesClient(tx, ModelShares.load(c.shares(), web3j, ro, gas));
    this.governance =
        new GovernanceClient(
            tx, RunGovernor.load(c.governor(), web3j, ro, gas), c.runManager(), runId);
  }

  /** Connects to the deployment's RPC URL as the given signer. */
  public static ProtocolClient connect(Deployment deployment, Credentials credentials) {
    return connect(deployment, credentials, Duration.ofMillis(200));
  }

  public static ProtocolClient connect(
      Deployment deployment, Credentials credentials, Duration receiptPoll) {
    Web3j web3j = Web3j.build(new HttpService(deployment.rpcUrl()));
    return new ProtocolClient(web3j, credentials, deployment, receiptPoll);
  }

  /** A client that tells {@code rpc} of every JSON-RPC call it makes (for latency metrics). */
  public static ProtocolClient connect(
      Deployment deployment, Credentials credentials, RpcListener rpc) {
    if (rpc == RpcListener.NONE) {
      return connect(deployment, credentials);
    }
    OkHttpClient http =
        HttpService.getOkHttpClientBuilder().addInterceptor(new RpcTiming(rpc)).build();
    Web3j web3j = Web3j.build(new HttpService(deployment.rpcUrl(), http));
    return new ProtocolClient(web3j, credentials, deployment, Duration.ofMillis(200));
  }

  public String address() {
    return tx.from();
  }

  public Deployment deployment() {
    return deployment;
  }

  public Web3j web3j() {
    return web3j;
  }

  public StakingClient staking() {
    return staking;
  }

  public RunClient runs() {
    return runs;
  }

  public DisputeClient disputes() {
    return disputes;
  }

  public SharesClient shares() {
    return shares;
  }

  public GovernanceClient governance() {
    return governance;
  }

  public long blockNumber() {
    try {
      return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends already-encoded calldata (e.g. a proposal's action) from this signer. */
  public TransactionReceipt sendRaw(String to, String calldata) {
    return tx.send(to, calldata);
  }

  /**
   * Sends already-encoded calldata with {@code value} wei from this signer without simulating it
   * first, at the given gas limit and price ({@link TxSender#sendUnsimulated}).
   */
  public TransactionReceipt sendUnsimulated(
      String to, String calldata, BigInteger value, BigInteger gasLimit, BigInteger gasPrice) {
    return tx.sendUnsimulated(to, calldata, value, gasLimit, gasPrice);
  }

  /** Native balance in wei. */
  public BigInteger balanceOf(String account) {
    try {
      return web3j
          .ethGetBalance(account, org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
          .send()
          .getBalance();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    web3j.shutdown();
  }

  /** Runs a view call of a wrapper, turning a revert into a ProtocolRevertException. */
  static <T> T view(TxSender tx, String to, RemoteFunctionCall<T> call) {
    try {
      return call.send();
    } catch (org.web3j.tx.exceptions.ContractCallException e) {
      tx.call(to, call.encodeFunctionCall());
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static TransactionReceipt send(TxSender tx, String to, RemoteFunctionCall<?> call) {
    return tx.send(to, call.encodeFunctionCall());
  }
}
