package io.protolearn.chain.client;

import static io.protolearn.chain.client.Convert.big;

import io.protolearn.chain.contracts.DisputeManager;
import io.protolearn.chain.events.ChainEvent;
import io.protolearn.chain.events.ChainEvents;
import io.protolearn.chain.events.EventFeed;
import io.protolearn.chain.model.Ballot;
import io.protolearn.chain.model.Challenge;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.chain.tx.TxSender;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.dispute.Evidence;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.StepLeaf;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Fraud proofs decided on chain (chain break, base mismatch, equivocation, malformed), jury
 * challenges (wrong result, unavailable), commit-reveal votes, resolution and payouts. Every proof
 * and challenge is a report committed first ({@code commitReport} of {@link Evidence#reportKey}
 * with a fresh salt) and revealed by the next transaction, which lands in a later block (DESIGN §6
 * v2): a copy of the reveal sent from another address is refused, so nobody takes the reward.
 */
public final class DisputeClient {
  private final TxSender tx;
  private final DisputeManager contract;
  private final long runId;
  private final SecureRandom random = new SecureRandom();

  DisputeClient(TxSender tx, DisputeManager contract, long runId) {
    this.tx = tx;
    this.contract = contract;
    this.runId = runId;
  }

  public String address() {
    return contract.getContractAddress();
  }

  private TransactionReceipt send(RemoteFunctionCall<?> call) {
    return ProtocolClient.send(tx, contract.getContractAddress(), call);
  }

  private TransactionReceipt send(RemoteFunctionCall<?> call, BigInteger value) {
    return tx.send(contract.getContractAddress(), call.encodeFunctionCall(), value);
  }

  private <T> T view(RemoteFunctionCall<T> call) {
    return ProtocolClient.view(tx, contract.getContractAddress(), call);
  }

  /** A proven leaf: the leaf and its Merkle proof against the miner's committed root. */
  public record ProvenLeaf(StepLeaf leaf, List<Bytes32> proof) {}

  // ---- decided on chain ----

  /**
   * Commits the report of {@code evidence} by this client's account; returns the salt its reveal
   * names. The reveal must be sent after this returns (it then lands in a later block).
   */
  public Bytes32 commitReport(Bytes32 evidence) {
    byte[] s = new byte[32];
    random.nextBytes(s);
    Bytes32 salt = new Bytes32(s);
    send(
        contract.commitReport(
            Evidence.reportKey(evidence, Address.fromHex(tx.from()), salt).bytes()));
    return salt;
  }

  public TransactionReceipt proveChainBreak(
      long round, String miner, Commitment c, ProvenLeaf a, ProvenLeaf b) {
    Bytes32 salt =
        commitReport(
            Evidence.chainBreak(
                runId, round, Address.fromHex(miner), a.leaf().leafHash(), b.leaf().leafHash()));
    return send(
        contract.proveChainBreak(
            big(runId),
            big(round),
            miner,
            Convert.disputeCommitment(c),
            Convert.leaf(a.leaf()),
            Convert.proof(a.proof()),
            Convert.leaf(b.leaf()),
            Convert.proof(b.proof()),
            salt.bytes()));
  }

  public TransactionReceipt proveBaseMismatch(
      long round, String miner, Commitment c, ProvenLeaf first) {
    Bytes32 salt =
        commitReport(
            Evidence.baseMismatch(runId, round, Address.fromHex(miner), first.leaf().leafHash()));
    return send(
        contract.proveBaseMismatch(
            big(runId),
            big(round),
            miner,
            Convert.disputeCommitment(c),
            Convert.leaf(first.leaf()),
            Convert.proof(first.proof()),
            salt.bytes()));
  }

  public TransactionReceipt proveEquivocation(
      TensorMessage message, byte[] signature, Commitment c, ProvenLeaf senderLeaf) {
    Bytes32 salt = commitReport(Evidence.equivocation(tensorMessageDigest(message)));
    return send(
        contract.proveEquivocation(
            Convert.message(message),
            signature,
            Convert.disputeCommitment(c),
            Convert.leaf(senderLeaf.leaf()),
            Convert.proof(senderLeaf.proof()),
            salt.bytes()));
  }

  public TransactionReceipt proveMalformed(
      long round, String miner, Commitment c, ProvenLeaf leaf) {
    Bytes32 salt =
        commitReport(
            Evidence.malformed(runId, round, Address.fromHex(miner), leaf.leaf().leafHash()));
    return send(
        contract.proveMalformed(
            big(runId),
            big(round),
            miner,
            Convert.disputeCommitment(c),
            Convert.leaf(leaf.leaf()),
            Convert.proof(leaf.proof()),
            salt.bytes()));
  }

  // ---- jury ----

  /** Files a wrong-result challenge, posting {@code bond} (the run's challengeBond). */
  public TransactionReceipt challengeWrongResult(
      long round, String miner, Commitment c, ProvenLeaf leaf, BigInteger bond) {
    Bytes32 salt =
        commitReport(
            Evidence.wrongResult(runId, round, Address.fromHex(miner), leaf.leaf().leafHash()));
    return send(
        contract.challengeWrongResult(
            big(runId),
            big(round),
            miner,
            Convert.disputeCommitment(c),
            Convert.leaf(leaf.leaf()),
            Convert.proof(leaf.proof()),
            salt.bytes(),
            bond),
        bond);
  }

  /** Files an unavailable challenge for one step, posting {@code bond}. */
  public TransactionReceipt challengeUnavailable(
      long round, String miner, Commitment c, long step, BigInteger bond) {
    Bytes32 salt = commitReport(Evidence.unavailable(runId, round, Address.fromHex(miner), step));
    return send(
        contract.challengeUnavailable(
            big(runId),
            big(round),
            miner,
            Convert.disputeCommitment(c),
            big(step),
            salt.bytes(),
            bond),
        bond);
  }

  /**
   * Draws challenge {@code challengeId}'s jury (anyone may, once its draw block is mined); the
   * jurors are in the receipt's {@code JuryDrawn} event and in {@link #jurors}.
   */
  public TransactionReceipt drawJury(long challengeId) {
    return send(contract.drawJury(big(challengeId)));
  }

  /** The commitment a juror posts: keccak256(abi.encodePacked(guilty, salt, juror)). */
  public Bytes32 voteCommitment(boolean guilty, Bytes32 salt, String juror) {
    return new Bytes32(view(contract.voteCommitment(guilty, salt.bytes(), juror)));
  }

  public TransactionReceipt commitVote(long challengeId, Bytes32 commitment) {
    return send(contract.commitVote(big(challengeId), commitment.bytes()));
  }

  public TransactionReceipt revealVote(long challengeId, boolean guilty, Bytes32 salt) {
    return send(contract.revealVote(big(challengeId), guilty, salt.bytes()));
  }

  public TransactionReceipt resolve(long challengeId) {
    return send(contract.resolve(big(challengeId)));
  }

  /**
   * Resolves every open challenge of this run's {@code round} whose vote window is over, found from
   * the {@code ChallengeOpened} events of the round's blocks; returns how many this call resolved.
   */
  public int resolveExpired(long round, io.protolearn.protocol.round.RoundClock clock) {
    long head;
    try {
      head = tx.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    int resolved = 0;
    EventFeed feed = new EventFeed(tx.web3j(), List.of(address()));
    for (ChainEvent e : feed.poll(clock.start(), Math.min(head, clock.checkEnd()))) {
      if (!(e instanceof ChainEvent.ChallengeOpened o)
          || o.runId() != runId
          || o.round() != round) {
        continue;
      }
      Challenge ch = challenge(o.challengeId());
      if (ch.resolvableAt(head + 1)) { // the next transaction lands in head + 1
        try {
          resolve(o.challengeId());
          resolved++;
        } catch (ProtocolRevertException ex) {
          // resolved by someone else meanwhile
        }
      }
    }
    return resolved;
  }

  public TransactionReceipt withdrawPayments() {
    return send(contract.withdrawPayments());
  }

  // ---- views ----

  public long challengeCount() {
    return view(contract.challengeCount()).longValueExact();
  }

  public Challenge challenge(long challengeId) {
    return Convert.challenge(view(contract.challengeOf(big(challengeId))));
  }

  @SuppressWarnings("unchecked")
  public List<String> jurors(long challengeId) {
    return view(contract.jurorsOf(big(challengeId)));
  }

  public Ballot ballot(long challengeId, String juror) {
    return Convert.ballot(view(contract.ballotOf(big(challengeId), juror)));
  }

  /** Whether the evidence already backs a fraud proof or a challenge (see {@code Evidence}). */
  public boolean evidenceUsed(Bytes32 evidenceHash) {
    return view(contract.evidenceUsed(evidenceHash.bytes()));
  }

  public BigInteger owedTo(String account) {
    return view(contract.owedTo(account));
  }

  public Bytes32 tensorMessageDigest(TensorMessage message) {
    return new Bytes32(view(contract.tensorMessageDigest(Convert.message(message))));
  }

  /** The challenges a transaction opened. */
  public static List<ChainEvent.ChallengeOpened> challengeEvents(TransactionReceipt r) {
    return DisputeManager.getChallengeOpenedEvents(r).stream()
        .map(e -> (ChainEvent.ChallengeOpened) ChainEvents.of(e))
        .toList();
  }

  public DisputeManager contract() {
    return contract;
  }
}
