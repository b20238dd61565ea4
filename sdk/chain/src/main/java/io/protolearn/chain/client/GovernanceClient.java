package io.protolearn.chain.client;

import static io.protolearn.chain.client.Convert.big;

import io.protolearn.chain.contracts.RunGovernor;
import io.protolearn.chain.gov.RunAction;
import io.protolearn.chain.tx.TxSender;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
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

  /** A proposal of one typed action on this run; out-of-bound values are refused here. */
  public Proposal proposal(RunAction action, RunClient run, String description) {
    if (description == null || description.isBlank()) {
      throw new IllegalArgumentException("a proposal needs a description");
    }
    return runManagerProposal(action.calldata(run), description);
  }

  /** A proposal as holders see it: what it does, where the vote stands, and its deadlines. */
  public record ProposalSummary(
      BigInteger id,
      String proposer,
      Proposal proposal,
      ProposalState state,
      BigInteger against,
      BigInteger forVotes,
      BigInteger abstain,
      BigInteger quorum,
      long snapshot,
      long deadline,
      long eta) {}

  /** Every proposal created from {@code fromBlock} on, oldest first. */
  public List<ProposalSummary> list(long fromBlock, long currentBlock) {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
            DefaultBlockParameterName.LATEST,
            contract.getContractAddress());
    filter.addSingleTopic(EventEncoder.encode(RunGovernor.PROPOSALCREATED_EVENT));
    List<ProposalSummary> out = new java.util.ArrayList<>();
    try {
      for (EthLog.LogResult<?> r : tx.web3j().ethGetLogs(filter).send().getLogs()) {
        RunGovernor.ProposalCreatedEventResponse e =
            RunGovernor.getProposalCreatedEventFromLog((Log) r.get());
        Proposal p =
            new Proposal(
                e.targets, e.calldatas.stream().map(Numeric::toHexString).toList(), e.description);
        out.add(summary(e.proposalId, e.proposer, p, currentBlock));
      }
    } catch (java.io.IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
    return out;
  }

  /** The summary of one proposal (its creation event supplies the proposal's content). */
  public java.util.Optional<ProposalSummary> find(
      BigInteger id, long fromBlock, long currentBlock) {
    return list(fromBlock, currentBlock).stream().filter(s -> s.id().equals(id)).findFirst();
  }

  private ProposalSummary summary(BigInteger id, String proposer, Proposal p, long currentBlock) {
    List<BigInteger> v = votes(id);
    long snapshot = snapshot(id);
    BigInteger quorum = snapshot < currentBlock ? quorum(snapshot) : BigInteger.ZERO;
    return new ProposalSummary(
        id,
        proposer,
        p,
        state(id),
        v.get(0),
        v.get(1),
        v.get(2),
        quorum,
        snapshot,
        deadline(id),
        eta(id));
  }

  public long runId() {
    return runId;
  }

  public RunGovernor contract() {
    return contract;
  }
}
