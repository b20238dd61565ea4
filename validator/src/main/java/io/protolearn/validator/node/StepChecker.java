package io.protolearn.validator.node;

import io.protolearn.node.artifact.ArtifactClient;
import io.protolearn.node.artifact.ProvenLeaf;
import io.protolearn.node.http.Fetched;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.verify.EvidenceCodec;
import io.protolearn.training.verify.RecomputeVerifier;
import io.protolearn.training.verify.StepEvidence;
import io.protolearn.training.verify.VerificationResult;
import io.protolearn.validator.node.CheckOutcome.BaseMismatch;
import io.protolearn.validator.node.CheckOutcome.ChainBreak;
import io.protolearn.validator.node.CheckOutcome.Equivocation;
import io.protolearn.validator.node.CheckOutcome.Malformed;
import io.protolearn.validator.node.CheckOutcome.Match;
import io.protolearn.validator.node.CheckOutcome.Unavailable;
import io.protolearn.validator.node.CheckOutcome.WrongResult;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * Checks one sampled step of one miner (DESIGN.md §5): fetches the leaf and its proof, verifies
 * inclusion against the committed root, looks first for fraud decidable on chain (malformed leaf,
 * base mismatch, chain break, a lane peer's signed tensor contradicting that peer's leaf), at step
 * 0 compares the committed base with the aggregated one ({@link Bases}; a wrong base is a wrong
 * result of step 0), then fetches the evidence and recomputes with the training core. Never throws
 * for anything a miner serves: bad artifacts become {@link Unavailable}, a differing recomputation
 * {@link WrongResult}.
 */
public final class StepChecker {
  /**
   * DJL allows one gradient collector per process at a time (docs/TRAINING.md), so recomputation is
   * serialized process-wide; fetching and the decidable checks run in parallel on the workers.
   */
  private static final ReentrantLock RECOMPUTE = new ReentrantLock();

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StepChecker.class);
  private final java.util.concurrent.atomic.AtomicLong unstableRecomputes =
      new java.util.concurrent.atomic.AtomicLong();

  /** Each stage's base of each round as the aggregation makes it (DESIGN.md §7). */
  public interface Bases {
    Bases UNKNOWN = (stage, round) -> Optional.empty();

    /** The base hash a miner of {@code stage} must commit in {@code round}, when known for sure. */
    Optional<Bytes32> expected(int stage, long round);
  }

  private final ArtifactClient client;
  private final IntFunction<RecomputeVerifier> verifiers;
  private final TensorMessage.Domain domain;
  private volatile Bases bases = Bases.UNKNOWN;

  /**
   * A committed miner's update, fetched and verified (hash, layout, finite values: {@link
   * VerifiedDeltas}); the failure when it cannot be.
   */
  public interface Updates {
    Updates UNKNOWN = (view, miner) -> Optional.of("updates are not fetched by this checker");

    /** Empty when the update of {@code miner} in the round of {@code view} verifies. */
    Optional<String> problem(RoundView view, Address miner);
  }

  private volatile Updates updates = Updates.UNKNOWN;

  /**
   * @param verifiers the recompute verifier of each stage
   * @param domain the EIP-712 domain of lane messages (the DisputeManager)
   */
  public StepChecker(
      ArtifactClient client,
      IntFunction<RecomputeVerifier> verifiers,
      TensorMessage.Domain domain) {
    this.client = client;
    this.verifiers = verifiers;
    this.domain = domain;
  }

  ArtifactClient client() {
    return client;
  }

  /** From now on step 0 is also checked against the aggregated base. */
  void checkUpdatesWith(Updates updates) {
    this.updates = updates;
  }

  void checkBasesWith(Bases bases) {
    this.bases = bases;
  }

  /**
   * Whether the miner's committed base is the one the aggregation makes; empty when that is not
   * known for sure.
   */
  Optional<Boolean> baseMatches(RoundView view, RoundView.Committed c) {
    return bases.expected(c.stage(), view.round()).map(e -> e.equals(c.commitment().baseHash()));
  }

  public CheckOutcome check(RoundView view, Address miner, int step) {
    RoundView.Committed c = view.commitments().get(miner);
    String endpoint = view.endpoints().get(miner);
    if (c == null || c.lane() < 0 || endpoint == null) {
      return new Unavailable(miner, step, "no commitment or lane known for the miner");
    }
    if (step == c.commitment().stepCount()) {
      // step = stepCount names the round's update (an unavailable challenge on it, DESIGN §7 v2)
      Optional<String> problem = updates.problem(view, miner);
      return problem.isEmpty()
          ? new Match(miner, step, c.commitment().deltaHash())
          : new Unavailable(miner, step, "update: " + problem.get());
    }
    Fetched<ProvenLeaf> leafF = client.leaf(miner, endpoint, view.round(), step);
    if (!leafF.ok()) {
      return new Unavailable(miner, step, "leaf: " + leafF.failure());
    }
    ProvenLeaf proven = leafF.value();
    if (!proven.includedIn(c.commitment().root())) {
      return new Unavailable(miner, step, "served leaf is not under the committed root");
    }
    StepLeaf leaf = proven.leaf();
    if (!wellFormed(view, c, leaf)) {
      return new Malformed(miner, proven);
    }
    if (leaf.step() != step) {
      return new Unavailable(miner, step, "served the leaf of step " + leaf.step());
    }
    if (step == 0 && !leaf.paramsBeforeHash().equals(c.commitment().baseHash())) {
      return new BaseMismatch(miner, proven);
    }
    if (step == 0) {
      Optional<Bytes32> base = bases.expected(c.stage(), view.round());
      if (base.isPresent() && !base.get().equals(c.commitment().baseHash())) {
        return new WrongResult(
            miner,
            proven,
            "the committed base "
                + c.commitment().baseHash()
                + " is not the aggregation of round "
                + (view.round() - 1)
                + " ("
                + base.get()
                + ")");
      }
    }
    Fetched<StepEvidence> evF =
        client.evidence(miner, endpoint, view.round(), step, EvidenceCodec::decode);
    if (!evF.ok()) {
      return new Unavailable(miner, step, "evidence: " + evF.failure());
    }
    StepEvidence evidence = trusted(view, c, evF.value());
    Optional<CheckOutcome> decidable = decidable(view, c, evidence);
    if (decidable.isPresent()) {
      return decidable.get();
    }
    if (evidence.steps().isEmpty() || evidence.targetStep() != step) {
      return new Unavailable(miner, step, "evidence does not end at step " + step);
    }
    VerificationResult result = recompute(c.stage(), evidence);
    if (result.outcome() == VerificationResult.Outcome.MISMATCH) {
      // Confirm before accusing: a second recompute from the same evidence. If it reproduces the
      // miner's hashes bit for bit, the miner's step is what honest training yields and the first
      // difference came from this process (rare history-dependent float results seen on CPU).
      VerificationResult again = recompute(c.stage(), evidence);
      if (again.outcome() == VerificationResult.Outcome.MATCH) {
        LOG.warn(
            "round {}: miner {} step {}: a first recompute differed ({}), a second matched;"
                + " counted as a match",
            view.round(),
            miner,
            step,
            result.reason());
        unstableRecomputes.incrementAndGet();
      }
      result = again;
    }
    return switch (result.outcome()) {
      case MATCH -> new Match(miner, step, leaf.leafHash());
      case MALFORMED -> new Unavailable(miner, step, "evidence unusable: " + result.reason());
      case MISMATCH -> mismatch(view, c, evidence, result);
    };
  }

  private static boolean wellFormed(RoundView view, RoundView.Committed c, StepLeaf leaf) {
    return leaf.runId() == view.runId()
        && leaf.round() == view.round()
        && leaf.miner().equals(c.miner())
        && leaf.stage() == c.stage()
        && leaf.step() < c.commitment().stepCount();
  }

  /** The evidence with the coordinates the chain fixes, not the ones the miner claims. */
  private StepEvidence trusted(RoundView view, RoundView.Committed c, StepEvidence e) {
    StepEvidence.Commitment commitment =
        new StepEvidence.Commitment(
            view.runId(),
            view.round(),
            c.miner(),
            c.stage(),
            c.lane(),
            c.commitment().root(),
            c.commitment().baseHash(),
            view.memberAt(c.lane(), c.stage() - 1).orElse(null),
            view.memberAt(c.lane(), c.stage() + 1).orElse(null),
            view.memberAt(c.lane(), 0).orElseThrow(),
            domain);
    return new StepEvidence(commitment, e.checkpointStep(), e.checkpoint(), e.steps());
  }

  /** Fraud provable on chain from the evidence's leaves and the lane peers' leaves. */
  private Optional<CheckOutcome> decidable(RoundView view, RoundView.Committed c, StepEvidence e) {
    List<StepEvidence.StepRecord> steps = e.steps();
    ProvenLeaf previous = null;
    for (StepEvidence.StepRecord r : steps) {
      ProvenLeaf p = new ProvenLeaf(r.leaf(), r.proof());
      if (!p.includedIn(c.commitment().root()) || !wellFormed(view, c, r.leaf())) {
        return Optional.empty(); // the verifier reports it as malformed evidence
      }
      if (r.leaf().step() == 0 && !r.leaf().paramsBeforeHash().equals(c.commitment().baseHash())) {
        return Optional.of(new BaseMismatch(c.miner(), p));
      }
      if (previous != null
          && previous.leaf().lane() == r.leaf().lane()
          && r.leaf().step() == previous.leaf().step() + 1
          && !previous.leaf().paramsAfterHash().equals(r.leaf().paramsBeforeHash())) {
        return Optional.of(new ChainBreak(c.miner(), previous, p));
      }
      previous = p;
    }
    if (steps.isEmpty()) {
      return Optional.empty();
    }
    StepEvidence.StepRecord last = steps.get(steps.size() - 1);
    StepLeaf leaf = last.leaf();
    Optional<CheckOutcome> fromPrevious =
        peerContradicts(view, c, leaf, c.stage() - 1, leaf.inputHash(), last.inputSignature());
    if (fromPrevious.isPresent()) {
      return fromPrevious;
    }
    return peerContradicts(
        view, c, leaf, c.stage() + 1, leaf.upstreamGradHash(), last.upstreamSignature());
  }

  /**
   * Whether the lane peer at {@code peerStage} signed {@code tensorHash} for this step while its
   * own committed leaf records a different hash: equivocation by the peer.
   */
  private Optional<CheckOutcome> peerContradicts(
      RoundView view,
      RoundView.Committed c,
      StepLeaf leaf,
      int peerStage,
      Bytes32 tensorHash,
      byte[] signature) {
    Optional<Address> peer = view.memberAt(c.lane(), peerStage);
    if (peer.isEmpty() || signature == null) {
      return Optional.empty();
    }
    TensorMessage message =
        new TensorMessage(
            view.runId(), view.round(), c.lane(), leaf.step(), peerStage, c.stage(), tensorHash);
    if (!message.recoverSigner(domain, signature).filter(peer.get()::equals).isPresent()) {
      return Optional.empty(); // an unsigned input is the receiver's fault (a mismatch)
    }
    return equivocationBy(view, peer.get(), message, signature);
  }

  /** Fetches the sender's leaf for the message's step and compares it with the signed hash. */
  private Optional<CheckOutcome> equivocationBy(
      RoundView view, Address sender, TensorMessage message, byte[] signature) {
    RoundView.Committed sc = view.commitments().get(sender);
    String endpoint = view.endpoints().get(sender);
    if (sc == null || endpoint == null) {
      return Optional.empty();
    }
    Fetched<ProvenLeaf> f = client.leaf(sender, endpoint, view.round(), message.step());
    if (!f.ok()
        || !f.value().includedIn(sc.commitment().root())
        || !wellFormed(view, sc, f.value().leaf())
        || f.value().leaf().step() != message.step()
        || f.value().leaf().lane() != message.lane()) {
      return Optional.empty(); // the sender's own checks will find it unavailable
    }
    StepLeaf sl = f.value().leaf();
    Bytes32 recorded =
        message.toStage() == message.fromStage() + 1 ? sl.outputHash() : sl.inputGradHash();
    if (recorded.equals(message.tensorHash())) {
      return Optional.empty();
    }
    return Optional.of(new Equivocation(sender, message, signature, f.value(), domain));
  }

  /** How often a first recompute differed and a second one matched (local non-determinism). */
  public long unstableRecomputes() {
    return unstableRecomputes.get();
  }

  private VerificationResult recompute(int stage, StepEvidence evidence) {
    RECOMPUTE.lock();
    try {
      return verifiers.apply(stage).verify(evidence);
    } catch (RuntimeException e) {
      return VerificationResult.malformed("recompute failed: " + e);
    } finally {
      RECOMPUTE.unlock();
    }
  }

  /**
   * A recomputation differs at step {@code result.step()}. If what differs is a tensor the miner
   * sent to a lane peer, the peer's signed copy may prove equivocation on chain; otherwise a jury.
   */
  private CheckOutcome mismatch(
      RoundView view, RoundView.Committed c, StepEvidence e, VerificationResult result) {
    StepEvidence.StepRecord at =
        e.steps().stream()
            .filter(r -> r.leaf().step() == result.step())
            .findFirst()
            .orElse(e.steps().get(e.steps().size() - 1));
    ProvenLeaf leaf = new ProvenLeaf(at.leaf(), at.proof());
    int peerStage =
        switch (result.field()) {
          case OUTPUT -> c.stage() + 1;
          case INPUT_GRAD -> c.stage() - 1;
          default -> -1;
        };
    Optional<Address> peer = view.memberAt(c.lane(), peerStage);
    if (peer.isPresent()) {
      Optional<CheckOutcome> eq = signedByMinerToPeer(view, c, peer.get(), peerStage, leaf);
      if (eq.isPresent()) {
        return eq.get();
      }
    }
    return new WrongResult(c.miner(), leaf, result.reason());
  }

  /** The peer's evidence holds the miner's signature over what it really sent at this step. */
  private Optional<CheckOutcome> signedByMinerToPeer(
      RoundView view, RoundView.Committed c, Address peer, int peerStage, ProvenLeaf minerProven) {
    StepLeaf minerLeaf = minerProven.leaf();
    String endpoint = view.endpoints().get(peer);
    if (endpoint == null) {
      return Optional.empty();
    }
    Fetched<StepEvidence> f =
        client.evidence(peer, endpoint, view.round(), minerLeaf.step(), EvidenceCodec::decode);
    if (!f.ok() || f.value().steps().isEmpty()) {
      return Optional.empty();
    }
    StepEvidence.StepRecord r = f.value().steps().get(f.value().steps().size() - 1);
    if (r.leaf().step() != minerLeaf.step()) {
      return Optional.empty();
    }
    boolean activation = peerStage == c.stage() + 1;
    Bytes32 received = activation ? r.leaf().inputHash() : r.leaf().upstreamGradHash();
    byte[] signature = activation ? r.inputSignature() : r.upstreamSignature();
    if (signature == null) {
      return Optional.empty();
    }
    TensorMessage message =
        new TensorMessage(
            view.runId(), view.round(), c.lane(), minerLeaf.step(), c.stage(), peerStage, received);
    if (!message.recoverSigner(domain, signature).filter(c.miner()::equals).isPresent()) {
      return Optional.empty();
    }
    Bytes32 recorded = activation ? minerLeaf.outputHash() : minerLeaf.inputGradHash();
    if (recorded.equals(received)) {
      return Optional.empty();
    }
    return Optional.of(new Equivocation(c.miner(), message, signature, minerProven, domain));
  }
}
