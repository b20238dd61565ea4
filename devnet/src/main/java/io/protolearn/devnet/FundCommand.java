package io.protolearn.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.protolearn.chain.deploy.Deployment;
import io.protolearn.chain.tx.TxSender;
import io.protolearn.cli.Ether;
import io.protolearn.protocol.crypto.Address;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Sends ETH from the devnet's funded development account, so a new account can pay for gas. */
@Command(
    name = "fund",
    mixinStandardHelpOptions = true,
    description =
        "Send ETH to an account from the devnet's funded development account (the deployer).")
final class FundCommand implements Callable<Integer> {
  @Mixin DevnetFiles files;

  @Parameters(
      index = "0",
      paramLabel = "ACCOUNT",
      description = "An address (0x + 40 hex digits), or a keystore file whose account to fund.")
  String account;

  @Option(
      names = "--amount",
      paramLabel = "ETH",
      defaultValue = "10",
      description = "ETH to send (default: ${DEFAULT-VALUE}).")
  String amount;

  @Override
  public Integer call() throws Exception {
    Address to = recipient(account);
    BigInteger wei = Ether.parse(amount);
    if (files.runningPid().isEmpty() || !Files.exists(files.deployment())) {
      throw new IllegalStateException(
          "no devnet running in " + files.dir + "; start one with `bin/devnet up`");
    }
    Deployment d = Deployment.load(files.deployment());
    Deployment.Account from = d.accounts().get(0);
    Web3j web3j = Web3j.build(new HttpService(d.rpcUrl()));
    try {
      if (balance(web3j, from.address()).compareTo(wei) <= 0) {
        throw new IllegalArgumentException(
            "the development account " + from.address() + " holds less than " + Ether.eth(wei));
      }
      TxSender sender =
          new TxSender(
              web3j, Credentials.create(from.privateKey()), d.chainId(), Duration.ofMillis(200));
      sender.send(to.toHex(), "0x", wei);
      System.out.printf(
          "sent %s to %s from %s (%s); it now holds %s%n",
          Ether.eth(wei),
          to.toChecksumHex(),
          from.name(),
          from.address(),
          Ether.eth(balance(web3j, to.toHex())));
      return 0;
    } finally {
      web3j.shutdown();
    }
  }

  /** The address itself, or the {@code address} field of a keystore file. */
  static Address recipient(String account) throws IOException {
    String hex = account;
    if (!account.startsWith("0x") && Files.isRegularFile(Path.of(account))) {
      JsonNode json = new ObjectMapper().readTree(Path.of(account).toFile());
      if (!json.path("address").isTextual()) {
        throw new IllegalArgumentException(account + " is not a keystore file (no address)");
      }
      hex = "0x" + json.get("address").asText().replaceFirst("^0x", "");
    }
    if (!hex.matches("0x[0-9a-fA-F]{40}")) {
      throw new IllegalArgumentException(
          "'" + account + "' is neither an address (0x + 40 hex digits) nor a keystore file");
    }
    return Address.fromHex(hex);
  }

  private static BigInteger balance(Web3j web3j, String address) throws IOException {
    return web3j.ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
  }
}
