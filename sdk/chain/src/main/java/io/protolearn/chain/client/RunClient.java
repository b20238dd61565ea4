package io.protolearn.chain.client;

import static io.protolearn.chain.client.Convert.big;

import io.protolearn.chain.contracts.RunManager;
import io.protolearn.chain.model.AttestationInfo;
import io.protolearn.chain.model.CommitmentInfo;
import io.protolearn.chain.model.Member;
import io.protolearn.chain.model.RoundInfo;
import io.protolearn.chain.model.RunInfo;
import io.protolearn.chain.model.RunSpec;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.chain.tx.TxSender;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.lanes.LaneAssignment;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.round.Availability;
import io.protolearn.protocol.round.RoundClock;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** One run: membership, the round clock, commits, seeds, attestations, finalization and claims. */
public final class RunClient {
  private final TxSender tx;
  private final RunManager contract;
  private final long runId;
  private final DisputeClient disputes;

  RunClient(TxSender tx, RunManager contract, long runId, DisputeClient disputes) {
    this.tx = tx;
    this.contract = contract;
    this.runId = runId;
    this.disputes = disputes;
  }

  public long runId() {
    return runId;
  }

  public String address() {
    return contract.getContractAddress();
  }

  private BigInteger id() {
    return big(runId);
  }

  private TransactionReceipt send(RemoteFunctionCall<?> call) {
    return ProtocolClient.send(tx, contract.getContractAddress(), call);
  }

  private <T> T view(RemoteFunctionCall<T> call) {
    return ProtocolClient.view(tx, contract.getContractAddress(), call);
  }

  // ---- membership ----

  public TransactionReceipt joinAsMiner(int stage, String endpoint) {
    return send(contract.joinAsMiner(id(), big(stage), endpoint));
  }

  public TransactionReceipt leaveAsMiner() {
    return send(contract.leaveAsMiner(id()));
  }

  public TransactionReceipt registerValidator(String endpoint) {
    return send(contract.registerValidator(id(), endpoint));
  }

  public TransactionReceipt deregisterValidator() {
    return send(contract.deregisterValidator(id()));
  }

  public TransactionReceipt setEndpoint(String endpoint) {
    return send(contract.setEndpoint(id(), endpoint));
  }

  public Member memberOf(String account) {
    return Convert.member(view(contract.memberOf(id(), account)));
  }

  @SuppressWarnings("unchecked")
  public List<String> minersAt(int stage, long round) {
    return view(contract.minersAt(id(), big(stage), big(round)));
  }

  @SuppressWarnings("unchecked")
  public List<String> validatorsAt(long round) {
    return view(contract.validatorsAt(id(), big(round)));
  }

  // ---- clock and state ----

  public RunInfo info() {
    return Convert.runInfo(view(contract.runInfo(id())));
  }

  public RunSpec spec() {
    return Convert.runSpec(view(contract.runSpec(id())));
  }

  public RunManager.Params paramsAt(long round) {
    return view(contract.paramsAt(id(), big(round)));
  }

  public RunManager.Params latestParams() {
    return view(contract.latestParams(id()));
  }

  public long currentRound() {
    return view(contract.currentRound(id())).longValueExact();
  }

  public long nextRound() {
    return view(contract.nextRound(id())).longValueExact();
  }

  public RoundClock clock(long round) {
    return Convert.clock(view(contract.clockOf(id(), big(round))));
  }

  public RoundInfo roundInfo(long round) {
    return Convert.roundInfo(view(contract.roundInfo(id(), big(round))));
  }

  public Bytes32 seedOf(long round) {
    return new Bytes32(view(contract.seedOf(id(), big(round))));
  }

  /**
   * The seed that orders round {@code round}'s lanes (DESIGN §3, v2) — the one value miners and
   * validators read: round r-1's seed, drawn here when nobody has drawn it; while another draw is
   * pending, the value it lands with; the public {@link LaneAssignment#genesisSeed} only for round
   * 0 or once r-1's seed can never be drawn (its seed block's hash has expired, or the round is
   * halted). Empty when none of these is settled within {@code wait}: the caller waits and asks
   * again, it never guesses.
   */
  public Optional<Bytes32> laneSeed(long round, Duration wait) {
    if (round == 0) {
      return Optional.of(LaneAssignment.genesisSeed(runId(), 0));
    }
    long end = System.nanoTime() + wait.toNanos();
    while (true) {
      Bytes32 seed = seedOf(round - 1);
      if (!seed.equals(Bytes32.ZERO)) {
        return Optional.of(seed);
      }
      try {
        drawSeed(round - 1);
        continue; // read what was drawn
      } catch (ProtocolRevertException e) {
        String error = e.errorName();
        if (error.equals("RunManagerSeedExpired") || error.equals("RunManagerRoundHalted")) {
          return Optional.of(LaneAssignment.genesisSeed(runId(), round));
        }
        // RunManagerSeedAlreadyDrawn: another node's draw is pending; anything else: ask again
      }
      if (System.nanoTime() >= end) {
        return Optional.empty();
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  /**
   * The miners that fill round {@code round}'s lanes, stage by stage (DESIGN §3): the round's
   * snapshot less the miners whose round r-1 commitment was convicted. Ejected, those can no longer
   * commit, and a lane slot held by one would leave an honest miner of its stage standing by. A
   * conviction of round r-1 is final once that round is finalized (RunManager refuses to convict
   * after), so the list is read only then — this node finalizes r-1 itself when it can, and waits
   * up to {@code wait} for another node's pending finalize to be mined — and is empty until then
   * (r-1 not over, held by a dispute, or halted): miners and validators never read two lists.
   */
  public Optional<List<List<Address>>> laneMiners(long round, Duration wait) {
    if (round > 0 && !finalizedNow(round - 1, wait)) {
      return Optional.empty();
    }
    List<List<Address>> out = new ArrayList<>();
    for (int s = 0; s < spec().stageCount(); s++) {
      List<Address> miners = new ArrayList<>();
      for (String m : minersAt(s, round)) {
        if (round == 0 || !commitmentOf(round - 1, m).convicted()) {
          miners.add(Address.fromHex(m));
        }
      }
      out.add(miners);
    }
    return Optional.of(out);
  }

  /**
   * Whether round q is finalized, after finalizing it when it can be. A finalize that another node
   * has pending is waited for, up to {@code wait}, until it is mined: a conviction could still land
   * in the same block before it.
   */
  private boolean finalizedNow(long q, Duration wait) {
    long end = System.nanoTime() + wait.toNanos();
    while (!roundInfo(q).finalized()) {
      try {
        finalizeRound(q);
        continue; // read what was mined
      } catch (ProtocolRevertException e) {
        if (!e.errorName().equals("RunManagerRoundFinalized")) {
          return false; // not over, a dispute open, or halted
        }
      }
      if (System.nanoTime() >= end) {
        return false;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  public CommitmentInfo commitmentOf(long round, String miner) {
    return Convert.commitmentInfo(view(contract.commitmentOf(id(), big(round), miner)));
  }

  public boolean commitmentMatches(long round, String miner, Commitment c) {
    return view(contract.commitmentMatches(id(), big(round), miner, Convert.runCommitment(c)));
  }

  public AttestationInfo attestationOf(long round, String validator) {
    return Convert.attestationInfo(view(contract.attestationOf(id(), big(round), validator)));
  }

  public BigInteger claimable(long round, String account) {
    return view(contract.claimable(id(), big(round), account));
  }

  // ---- round actions ----

  public TransactionReceipt commit(long round, Commitment c) {
    return send(
        contract.commit(
            id(),
            big(round),
            c.root().bytes(),
            big(c.stepCount()),
            c.deltaHash().bytes(),
            c.baseHash().bytes()));
  }

  /**
   * The commit of {@link #commit} signed but not sent, for a caller that records it before sending
   * (see {@link TxSender#sign}); send it with {@link #submit}.
   */
  public TxSender.SignedTx signCommit(long round, Commitment c) {
    return tx.sign(
        contract.getContractAddress(),
        contract
            .commit(
                id(),
                big(round),
                c.root().bytes(),
                big(c.stepCount()),
                c.deltaHash().bytes(),
                c.baseHash().bytes())
            .encodeFunctionCall(),
        BigInteger.ZERO);
  }

  /** Sends (or sends again) a signed transaction and waits for its receipt. */
  public TransactionReceipt submit(TxSender.SignedTx signed) {
    return tx.submit(signed);
  }

  public TransactionReceipt drawSeed(long round) {
    return send(contract.drawSeed(id(), big(round)));
  }

  /**
   * Draws the round's seed unless it is drawn already; true when this call drew it. A refusal (not
   * ready yet, window over, drawn meanwhile by another node) is not an error: false.
   */
  public boolean drawSeedIfMissing(long round) {
    if (!seedOf(round).equals(Bytes32.ZERO)) {
      return false;
    }
    try {
      drawSeed(round);
      return true;
    } catch (ProtocolRevertException e) {
      return false;
    }
  }

  /**
   * @param available the availability bitmap over the round's miners in round order ({@link
   *     Availability#encode})
   */
  public TransactionReceipt attest(
      long round, Bytes32 receiptsRoot, long checks, List<BigInteger> available) {
    return send(
        contract.attest(
            id(), big(round), receiptsRoot.bytes(), big(checks), List.copyOf(available)));
  }

  /** The availability bitmap {@code validator} attested for the round (empty if none). */
  @SuppressWarnings("unchecked")
  public List<BigInteger> availabilityOf(long round, String validator) {
    return view(contract.availabilityOf(id(), big(round), validator));
  }

  /** The round's miners in round order (DESIGN.md §7): each stage's snapshot, stage by stage. */
  public List<Address> roundOrder(long round) {
    List<List<Address>> byStage = new ArrayList<>();
    for (int s = 0; s < spec().stageCount(); s++) {
      byStage.add(minersAt(s, round).stream().map(Address::fromHex).toList());
    }
    return Availability.roundOrder(byStage);
  }

  /**
   * Which miners were available in the round, from the attestations on chain; final once the
   * round's check window is over (no attestation comes later).
   */
  public Availability availability(long round) {
    List<List<BigInteger>> bitmaps = new ArrayList<>();
    for (String v : validatorsAt(round)) {
      if (attestationOf(round, v).attested()) {
        bitmaps.add(availabilityOf(round, v));
      }
    }
    return Availability.tally(roundOrder(round), bitmaps);
  }

  /**
   * Finalizes the round. A round held open by disputes whose vote window is over — nobody resolved
   * them — has them resolved first (DESIGN §7: nodes that depend on a round resolve its expired
   * disputes), so a juror that vanished cannot stall the run.
   */
  public TransactionReceipt finalizeRound(long round) {
    try {
      return send(contract.finalize(id(), big(round)));
    } catch (ProtocolRevertException e) {
      if (!e.errorName().equals("RunManagerDisputesOpen")
          || disputes.resolveExpired(round, clock(round)) == 0) {
        throw e;
      }
      return send(contract.finalize(id(), big(round)));
    }
  }

  public TransactionReceipt claim(long round) {
    return send(contract.claim(id(), big(round)));
  }

  public TransactionReceipt claimMany(List<Long> rounds) {
    return send(contract.claimMany(id(), rounds.stream().map(BigInteger::valueOf).toList()));
  }

  // ---- governance-only actions (sent by the timelock through proposals; exposed for encoding)
  // ----

  /** The calldata of {@code setParams(runId, params)}, for a governance proposal. */
  public String encodeSetParams(RunManager.Params params) {
    return contract.setParams(id(), params).encodeFunctionCall();
  }

  public String encodePause() {
    return contract.pause(id()).encodeFunctionCall();
  }

  public String encodeResume() {
    return contract.resume(id()).encodeFunctionCall();
  }

  public String encodeHalt() {
    return contract.halt(id()).encodeFunctionCall();
  }

  // ---- events ----

  public static List<RunManager.CommittedEventResponse> committedEvents(TransactionReceipt r) {
    return RunManager.getCommittedEvents(r);
  }

  public static List<RunManager.ClaimedEventResponse> claimedEvents(TransactionReceipt r) {
    return RunManager.getClaimedEvents(r);
  }

  /** The raw wrapper, for event subscriptions ({@code committedEventFlowable} and the like). */
  public RunManager contract() {
    return contract;
  }
}
