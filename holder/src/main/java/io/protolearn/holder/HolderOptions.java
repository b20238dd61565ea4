package io.protolearn.holder;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.deploy.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.crypto.exception.CipherException;
import picocli.CommandLine.Option;

/** Where the chain is and who signs: shared by every holder command. */
public final class HolderOptions {
  @Option(
      names = "--deployment",
      defaultValue = "${env:PROTOLEARN_DEPLOYMENT:-.devnet/deployment.json}",
      description = "Deployment file (default: ${DEFAULT-VALUE}).")
  Path deployment;

  @Option(
      names = "--rpc-url",
      defaultValue = "${env:PROTOLEARN_RPC_URL}",
      description = "JSON-RPC URL, overriding the deployment file's.")
  String rpcUrl;

  @Option(
      names = "--keystore",
      defaultValue = "${env:PROTOLEARN_KEYSTORE}",
      description = "Ethereum keystore JSON of the holder.")
  Path keystore;

  @Option(
      names = "--password-file",
      defaultValue = "${env:PROTOLEARN_PASSWORD_FILE}",
      description = "File whose first line is the keystore password (else $PROTOLEARN_PASSWORD).")
  Path passwordFile;

  Deployment loadDeployment() throws IOException {
    Deployment d = Deployment.load(deployment);
    return rpcUrl == null || rpcUrl.isBlank() ? d : d.withRpcUrl(rpcUrl);
  }

  Credentials credentials() throws IOException {
    if (keystore == null) {
      throw new IllegalArgumentException("no --keystore given (or $PROTOLEARN_KEYSTORE)");
    }
    if (!Files.exists(keystore)) {
      throw new IllegalArgumentException("no keystore at " + keystore);
    }
    String password;
    if (passwordFile != null) {
      password =
          Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("");
    } else if (System.getenv("PROTOLEARN_PASSWORD") != null) {
      password = System.getenv("PROTOLEARN_PASSWORD");
    } else {
      throw new IllegalArgumentException("no --password-file given (or $PROTOLEARN_PASSWORD)");
    }
    try {
      return WalletUtils.loadCredentials(password, keystore.toFile());
    } catch (CipherException e) {
      throw new IllegalArgumentException("wrong password for keystore " + keystore);
    }
  }

  /** A connected client, checked to be on the deployment's chain. */
  ProtocolClient connect() throws IOException {
    Deployment d = loadDeployment();
    ProtocolClient client = ProtocolClient.connect(d, credentials());
    checkChain(client, d);
    return client;
  }

  static void checkChain(ProtocolClient client, Deployment d) {
    long chainId;
    try {
      chainId = client.web3j().ethChainId().send().getChainId().longValueExact();
    } catch (IOException e) {
      client.close();
      throw new IllegalStateException(
          "cannot reach the chain at " + d.rpcUrl() + ": " + e.getMessage());
    }
    if (chainId != d.chainId()) {
      client.close();
      throw new IllegalStateException(
          "the node at "
              + d.rpcUrl()
              + " is chain "
              + chainId
              + ", the deployment is for "
              + d.chainId());
    }
  }
}
