package io.protolearn.devnet;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.deploy.Deployment;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Prints whether the devnet runs, its block and the run's round. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show the local chain and run.")
final class StatusCommand implements Callable<Integer> {
  @Mixin DevnetFiles files;

  @Override
  public Integer call() throws Exception {
    if (files.runningPid().isEmpty() || !Files.exists(files.deployment())) {
      System.out.println("devnet: not running");
      return 1;
    }
    Deployment d = Deployment.load(files.deployment());
    Credentials reader = Credentials.create(d.accounts().get(0).privateKey());
    try (ProtocolClient client = ProtocolClient.connect(d, reader)) {
      System.out.printf(
          "devnet: chain %d at %s (pid %d), block %d, run %d in round %d%n",
          d.chainId(),
          d.rpcUrl(),
          files.runningPid().get(),
          client.blockNumber(),
          d.runId(),
          client.runs().currentRound());
    }
    return 0;
  }
}
