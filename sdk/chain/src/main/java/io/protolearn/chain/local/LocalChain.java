package io.protolearn.chain.local;

import io.protolearn.chain.deploy.Deployer;
import io.protolearn.chain.deploy.Deployment;
import io.protolearn.chain.deploy.RunConfig;
import io.protolearn.chain.tx.TxSender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * A local node with the protocol deployed and its development accounts named: {@code deployer}
 * (account 0), then {@code account-1} ... The node stops when this closes.
 */
public final class LocalChain implements AutoCloseable {
  private final AnvilNode node;
  private final Web3j web3j;
  private final HttpService http;
  private final Deployment deployment;
  private final List<Credentials> accounts;

  private LocalChain(
      AnvilNode node, HttpService http, Web3j web3j, Deployment d, List<Credentials> accounts) {
    this.node = node;
    this.http = http;
    this.web3j = web3j;
    this.deployment = d;
    this.accounts = accounts;
  }

  /** Starts a node with the given options and deploys one run with {@code config}. */
  public static LocalChain start(AnvilNode.Options options, RunConfig config) throws IOException {
    AnvilNode node = AnvilNode.start(options);
    try {
      HttpService http = new HttpService(node.rpcUrl());
      Web3j web3j = Web3j.build(http);
      List<Credentials> accounts = DevAccounts.anvil(options.accounts());
      TxSender sender =
          new TxSender(web3j, accounts.get(0), options.chainId(), Duration.ofMillis(50));
      Deployment deployed = new Deployer(sender).deploy(config, node.rpcUrl(), options.chainId());
      List<Deployment.Account> named = new ArrayList<>();
      for (int i = 0; i < accounts.size(); i++) {
        Credentials c = accounts.get(i);
        named.add(
            new Deployment.Account(
                i == 0 ? "deployer" : "account-" + i,
                c.getAddress(),
                Numeric.toHexStringWithPrefixZeroPadded(c.getEcKeyPair().getPrivateKey(), 64)));
      }
      Deployment d =
          new Deployment(
              deployed.chainId(),
              deployed.rpcUrl(),
              deployed.deployBlock(),
              deployed.contracts(),
              deployed.runId(),
              List.copyOf(named));
      return new LocalChain(node, http, web3j, d, accounts);
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  public Deployment deployment() {
    return deployment;
  }

  public AnvilNode node() {
    return node;
  }

  public Credentials account(int i) {
    return accounts.get(i);
  }

  public Web3j web3j() {
    return web3j;
  }

  public long blockNumber() {
    try {
      return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Mines {@code blocks} empty blocks at once. */
  public void mine(long blocks) {
    if (blocks <= 0) {
      return;
    }
    try {
      new Request<>(
              "anvil_mine",
              List.of(Numeric.toHexStringWithPrefix(java.math.BigInteger.valueOf(blocks))),
              http,
              VoidResponse.class)
          .send();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Moves the chain's clock forward (the next block's timestamp) by {@code seconds}. */
  public void increaseTime(long seconds) {
    try {
      new Request<>("evm_increaseTime", List.of(seconds), http, VoidResponse.class).send();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Mines until the next transaction lands in block {@code block} (no-op if already past). */
  public void mineTo(long block) {
    mine(block - 1 - blockNumber());
  }

  @Override
  public void close() {
    web3j.shutdown();
    node.close();
  }
}
