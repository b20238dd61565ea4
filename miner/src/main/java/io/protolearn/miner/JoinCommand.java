package io.protolearn.miner;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.model.Member;
import io.protolearn.cli.UserException;
import io.protolearn.node.cli.ChainCommand;
import io.protolearn.node.cli.Endpoints;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Joins the run as a miner of one pipeline stage, from the next round. */
@Command(
    name = "join",
    mixinStandardHelpOptions = true,
    description =
        "Join the run as a miner of one stage of the model, from the next round. Needs stake of"
            + " at least the run's minimum miner stake.")
final class JoinCommand extends ChainCommand {
  @Option(
      names = "--stage",
      paramLabel = "N",
      required = true,
      description = "The pipeline stage to train (0 owns the embedding, the last the head).")
  int stage;

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      required = true,
      description =
          "Where lane peers and validators reach this miner's node, e.g. http://host:9000.")
  String endpoint;

  @Override
  public Integer call() {
    if (stage < 0) {
      throw new UserException("--stage must not be negative, got " + stage);
    }
    Endpoints.check(endpoint);
    try (ProtocolClient client = connectSigner()) {
      TransactionReceipt r = client.runs().joinAsMiner(stage, endpoint);
      Member m = client.runs().memberOf(client.address());
      out()
          .printf(
              "joined run %d as a miner of stage %d from round %s, endpoint %s (%s)%n",
              client.runs().runId(), stage, m.fromRound(), endpoint, tx(r));
    }
    return 0;
  }
}
