package io.protolearn.chain.client;

import static io.protolearn.chain.client.Convert.big;

import io.protolearn.chain.contracts.RunGovernor;
import io.protolearn.chain.tx.TxSender;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The run's Governor: proposals of calls to the RunManager (executed by the run's timelock), votes,
 * queue and execute.
 */
public final class GovernanceClient {
  /** OpenZeppelin's ProposalState, in order. */
  public enum ProposalState {
    PENDING,
    ACTIVE,
    CANCELED,
    DEFEATED,
    SUCCEEDED,
    QUEUED,
    EXPIRED,
    EXECUTED
  }

  /** Vote support as GovernorCountingSimple numbers it. */
  public enum Support {
    AGAINST,
    FOR,
    ABSTAIN
  }

  /** A proposal: calls to make (all to the RunManager here) and a description. */
  public record Proposal(List<String> targets, List<String> calldatas, String description) {
    public BigInteger descriptionHash() {
      return Numeric.toBigInt(Hash.sha3(description.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private final TxSender tx;
  private final RunGovernor contract;
  private final String runManager;
  private final long runId;

  GovernanceClient(TxSender tx, RunGovernor contract, String runManager, long runId) {
    this.tx = tx;
    this.contract = contract;
    this.runManager = runManager;
    this.runId = runId;
  }

  public String address() {
    return contract.getContractAddress();
  }

  private TransactionReceipt send(RemoteFunctionCall<?> call) {
    return ProtocolClient.send(tx, contract.getContractAddress(), call);
  }

  private <T> T view(RemoteFunctionCall<T> call) {
    return ProtocolClient.view(tx, contract.getContractAddress(), call);
  }

  /** A proposal of one RunManager call (encoded with RunClient's {@code encode*} methods). */
  public Proposal runManagerProposal(String calldata, String description) {
    return new Proposal(List.of(runManager), List.of(calldata), description);
  }

  private List<BigInteger> zeros(Proposal p) {
    return p.targets().stream().map(t -> BigInteger.ZERO).toList();
  }

  private static List<byte[]> bytes(Proposal p) {
    return p.calldatas().stream().map(Numeric::hexStringToByteArray).toList();
  }

  public BigInteger proposalId(Proposal p) {
    return view(
        contract.hashProposal(
            p.targets(), zeros(p), bytes(p), Numeric.toBytesPadded(p.descriptionHash(), 32)));
  }

  public BigInteger propose(Proposal p) {
    send(contract.propose(p.targets(), zeros(p), bytes(p), p.description()));
    return proposalId(p);
  }

  public TransactionReceipt castVote(BigInteger proposalId, Support support, String reason) {
    return send(
        contract.castVoteWithReason(
            proposalId, big(support.ordinal()), reason == null ? "" : reason));
  }

  public TransactionReceipt queue(Proposal p) {
    return send(
        contract.queue(
            p.targets(), zeros(p), bytes(p), Numeric.toBytesPadded(p.descriptionHash(), 32)));
  }

  public TransactionReceipt execute(Proposal p) {
    return send(
        contract.execute(
            p.targets(),
            zeros(p),
            bytes(p),
            Numeric.toBytesPadded(p.descriptionHash(), 32),
            BigInteger.ZERO));
  }

  public ProposalState state(BigInteger proposalId) {
    return ProposalState.values()[view(contract.state(proposalId)).intValueExact()];
  }

  /** Against, for and abstain tallies. */
  public List<BigInteger> votes(BigInteger proposalId) {
    var t = view(contract.proposalVotes(proposalId));
    return List.of(t.component1(), t.component2(), t.component3());
  }

  public long deadline(BigInteger proposalId) {
    return view(contract.proposalDeadline(proposalId)).longValueExact();
  }

  public long snapshot(BigInteger proposalId) {
    return view(contract.proposalSnapshot(proposalId)).longValueExact();
  }

  public long eta(BigInteger proposalId) {
    return view(contract.proposalEta(proposalId)).longValueExact();
  }

  public BigInteger quorum(long blockNumber) {
    return view(contract.quorum(big(blockNumber)));
  }

  public boolean hasVoted(BigInteger proposalId, String account) {
    return view(contract.hasVoted(proposalId, account));
  }

  public long runId() {
    return runId;
  }

  public RunGovernor contract() {
    return contract;
  }
}
