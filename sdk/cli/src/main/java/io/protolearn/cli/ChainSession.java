package io.protolearn.cli;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.client.RpcListener;
import io.protolearn.chain.deploy.Deployment;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * Opens a {@link ProtocolClient} only after checking that the RPC answers, is the deployment's
 * chain and has the RunManager deployed, so each of those mistakes is one clear line instead of an
 * I/O error deep in a call.
 */
public final class ChainSession {
  private ChainSession() {}

  public static ProtocolClient connect(Deployment d, Credentials signer) {
    return connect(d, signer, RpcListener.NONE);
  }

  /** As {@link #connect(Deployment, Credentials)}, telling {@code rpc} of every call's latency. */
  public static ProtocolClient connect(Deployment d, Credentials signer, RpcListener rpc) {
    ProtocolClient client = ProtocolClient.connect(d, signer, rpc);
    try {
      check(client.web3j(), d);
      return client;
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /**
   * A client for views only: reads name their accounts explicitly, so the signer is a throwaway key
   * and no keystore password is needed.
   */
  public static ProtocolClient connectReadOnly(Deployment d) {
    BigInteger throwaway = new BigInteger(255, new SecureRandom()).add(BigInteger.ONE);
    return connect(d, Credentials.create(ECKeyPair.create(throwaway)));
  }

  private static void check(Web3j web3j, Deployment d) {
    long chainId;
    String code;
    try {
      chainId = web3j.ethChainId().send().getChainId().longValueExact();
      code =
          web3j
              .ethGetCode(d.contracts().runManager(), DefaultBlockParameterName.LATEST)
              .send()
              .getCode();
    } catch (IOException | RuntimeException e) {
      throw new UserException("cannot reach the chain at " + d.rpcUrl() + ": " + reason(e));
    }
    if (chainId != d.chainId()) {
      throw new UserException(
          "the chain at "
              + d.rpcUrl()
              + " has id "
              + chainId
              + " but the deployment is for chain "
              + d.chainId());
    }
    if (code == null || code.equals("0x")) {
      throw new UserException(
          "no RunManager contract at "
              + d.contracts().runManager()
              + " on "
              + d.rpcUrl()
              + " (is the deployment file from this chain?)");
    }
  }

  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return m == null ? root.getClass().getSimpleName() : m;
  }
}
