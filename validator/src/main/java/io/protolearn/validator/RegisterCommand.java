package io.protolearn.validator;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.model.Member;
import io.protolearn.node.cli.ChainCommand;
import io.protolearn.node.cli.Endpoints;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Registers the account as a validator of the run, from the next round. */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description =
        "Register as a validator of the run, from the next round. Needs stake of at least the"
            + " run's minimum validator stake.")
final class RegisterCommand extends ChainCommand {
  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      required = true,
      description = "Where miners and other validators reach this node, e.g. http://host:9100.")
  String endpoint;

  @Override
  public Integer call() {
    Endpoints.check(endpoint);
    try (ProtocolClient client = connectSigner()) {
      TransactionReceipt r = client.runs().registerValidator(endpoint);
      Member m = client.runs().memberOf(client.address());
      out()
          .printf(
              "registered as a validator of run %d from round %s, endpoint %s (%s)%n",
              client.runs().runId(), m.fromRound(), endpoint, tx(r));
    }
    return 0;
  }
}
