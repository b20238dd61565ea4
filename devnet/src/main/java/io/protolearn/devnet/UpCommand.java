package io.protolearn.devnet;

import io.protolearn.chain.deploy.Deployer;
import io.protolearn.chain.deploy.Deployment;
import io.protolearn.chain.deploy.RunConfig;
import io.protolearn.chain.local.AnvilNode;
import io.protolearn.chain.local.DevAccounts;
import io.protolearn.chain.tx.TxSender;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Starts a local node, deploys the protocol and one run, writes the deployment file. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = "Start a local chain on 127.0.0.1, deploy the contracts and one run.")
final class UpCommand implements Callable<Integer> {
  @Mixin DevnetFiles files;

  @Option(
      names = "--port",
      defaultValue = "8545",
      description = "RPC port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--block-time",
      defaultValue = "1",
      description = "Seconds between blocks (default: ${DEFAULT-VALUE}).")
  int blockTime;

  @Option(
      names = "--chain-id",
      defaultValue = "31337",
      description = "Chain id (default: ${DEFAULT-VALUE}).")
  long chainId;

  @Option(
      names = "--stages",
      defaultValue = "2",
      description = "Pipeline stages S (default: ${DEFAULT-VALUE}).")
  int stages;

  @Option(
      names = "--steps",
      defaultValue = "16",
      description = "Inner steps per round K (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--accounts",
      defaultValue = "20",
      description = "Funded development accounts (default: ${DEFAULT-VALUE}).")
  int accounts;

  @Override
  public Integer call() throws Exception {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("--port must be in 1..65535, got " + port);
    }
    if (blockTime < 1 || stages < 1 || stages > 64 || steps < 1 || accounts < 4) {
      throw new IllegalArgumentException(
          "need --block-time >= 1, --stages in 1..64, --steps >= 1, --accounts >= 4");
    }
    if (files.runningPid().isPresent()) {
      throw new IllegalStateException(
          "a devnet is already running (pid "
              + files.runningPid().get()
              + "); run `bin/devnet down` first");
    }
    Files.createDirectories(files.dir);
    AnvilNode node =
        AnvilNode.start(
            new AnvilNode.Options(port, blockTime, chainId, accounts, files.log(), true));
    Files.writeString(files.pidFile(), Long.toString(node.pid()));
    try {
      Web3j web3j = Web3j.build(new HttpService(node.rpcUrl()));
      List<Credentials> keys = DevAccounts.anvil(accounts);
      TxSender sender = new TxSender(web3j, keys.get(0), chainId, Duration.ofMillis(200));
      RunConfig config =
          RunConfig.devnet(
              h("model-spec"),
              h("data-spec"),
              h("train-spec"),
              h("data-root"),
              h("initial"),
              stages,
              steps);
      Deployment deployed = new Deployer(sender).deploy(config, node.rpcUrl(), chainId);
      Deployment withAccounts =
          new Deployment(
              deployed.chainId(),
              deployed.rpcUrl(),
              deployed.deployBlock(),
              deployed.contracts(),
              deployed.runId(),
              named(keys));
      withAccounts.save(files.deployment());
      web3j.shutdown();
      System.out.printf(
          "devnet up: chain %d at %s (pid %d), run %d, RunManager %s%n  deployment: %s%n  stop it with: bin/devnet down%n",
          chainId,
          node.rpcUrl(),
          node.pid(),
          deployed.runId(),
          deployed.contracts().runManager(),
          files.deployment());
      return 0;
    } catch (RuntimeException e) {
      node.close();
      Files.deleteIfExists(files.pidFile());
      throw e;
    }
  }

  private static List<Deployment.Account> named(List<Credentials> keys) {
    List<Deployment.Account> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      Credentials c = keys.get(i);
      String name = i == 0 ? "deployer" : "account-" + i;
      out.add(
          new Deployment.Account(
              name,
              c.getAddress(),
              Numeric.toHexStringWithPrefixZeroPadded(c.getEcKeyPair().getPrivateKey(), 64)));
    }
    return out;
  }

  private static Bytes32 h(String s) {
    return new Bytes32(
        Keccak.keccak256(("protolearn devnet " + s).getBytes(StandardCharsets.UTF_8)));
  }
}
