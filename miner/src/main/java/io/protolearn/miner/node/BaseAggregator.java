package io.protolearn.miner.node;

import io.protolearn.chain.client.RunClient;
import io.protolearn.chain.model.CommitmentInfo;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.node.artifact.ArtifactClient;
import io.protolearn.node.artifact.ServedCommitment;
import io.protolearn.node.http.Fetched;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.lanes.LaneAssignment;
import io.protolearn.protocol.round.Availability;
import io.protolearn.protocol.round.RoundClock;
import io.protolearn.training.lane.AcceptedDeltas;
import io.protolearn.training.lane.OuterStep;
import io.protolearn.training.lane.OuterStep.OuterState;
import io.protolearn.training.spec.RunSpecs;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This stage's base of each round (DESIGN.md §7): the outer step of the previous base with the mean
 * of the accepted lanes' deltas of the previous round, once it is finalized. A lane is accepted
 * when every member committed, was available on a strict majority of the round's attestations and
 * was not convicted ({@link AcceptedDeltas}); its member of this stage's delta is fetched from it
 * and checked against its on-chain commitment. Bases are kept in the journal.
 */
final class BaseAggregator {
  private static final Logger LOG = LoggerFactory.getLogger(BaseAggregator.class);

  private final RunClient runs;
  private final LanePlanner planner;
  private final RoundJournal journal;
  private final ArtifactClient peers;
  private final RunSpecs specs;
  private final OuterStep outer;
  private final int stage;
  private final Address me;
  private final Duration peerTimeout;
  private final Duration poll;
  private final LongSupplier latestBlock;
  private final BooleanSupplier stopping;
  private final boolean aggregates;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /** The deltaHash a miner committed in a round, from the chain's Committed events. */
  @FunctionalInterface
  interface CommittedHashes {
    Optional<Bytes32> deltaHash(long round, Address miner);
  }

  private final CommittedHashes committedHashes;

  /** How often an accepted delta that could not be obtained is asked for again. */
  private static final Duration RETRY = Duration.ofSeconds(1);

  BaseAggregator(
      RunClient runs,
      LanePlanner planner,
      RoundJournal journal,
      ArtifactClient peers,
      RunSpecs specs,
      int stage,
      Address me,
      Duration peerTimeout,
      Duration poll,
      LongSupplier latestBlock,
      BooleanSupplier stopping,
      Adversary adversary,
      CommittedHashes committedHashes) {
    this.aggregates = adversary.aggregates();
    this.committedHashes = committedHashes;
    this.runs = runs;
    this.planner = planner;
    this.journal = journal;
    this.peers = peers;
    this.specs = specs;
    this.outer = new OuterStep(specs.train());
    this.stage = stage;
    this.me = me;
    this.peerTimeout = peerTimeout;
    this.poll = poll;
    this.latestBlock = latestBlock;
    this.stopping = stopping;
  }

  /**
   * This stage's base at the start of round r: from the journal, or rebuilt from the newest stored
   * base (round 0: the initial parameters) by outer steps over the rounds since, each once its
   * round is finalized.
   */
  Optional<OuterState> baseFor(long r, long deadlineBlock) {
    Optional<OuterState> stored = journal.base(r);
    if (stored.isPresent()) {
      return stored;
    }
    Optional<Long> from = journal.latestBaseAtOrBefore(r);
    long q = from.orElse(0L);
    OuterState base =
        from.flatMap(journal::base).orElseGet(() -> OuterState.initial(specs.initialParams(stage)));
    if (from.isEmpty()) {
      journal.putBase(0, base);
    }
    for (; q < r; q++) {
      if (!runs.minersAt(stage, q).isEmpty()) {
        if (!awaitFinalized(q, deadlineBlock)) {
          return Optional.empty();
        }
        if (aggregates) {
          Optional<List<List<HostTensor>>> deltas = acceptedDeltas(q, deadlineBlock);
          if (deltas.isEmpty()) {
            return Optional.empty();
          }
          base = outer.apply(base, deltas.get());
          LOG.info(
              "round {}: the stage {} base of round {} is {}", q, stage, q + 1, base.baseHash());
        }
      }
      journal.putBase(q + 1, base);
    }
    LOG.info("round {} base {}", r, base.baseHash());
    return Optional.of(base);
  }

  private boolean awaitFinalized(long q, long deadlineBlock) {
    while (!stopping.getAsBoolean()) {
      if (runs.roundInfo(q).finalized()) {
        return true;
      }
      RoundClock clock = runs.clock(q);
      if (latestBlock.getAsLong() > clock.voteEnd()) {
        try {
          runs.finalizeRound(q);
          return true;
        } catch (ProtocolRevertException e) {
          // another miner's finalize may be pending (estimated against the pending block)
          if (e.errorName().equals("RunManagerRoundFinalized") || runs.roundInfo(q).finalized()) {
            return true;
          }
          LOG.info("round {} cannot be finalized yet: {}", q, e.getMessage());
        }
      }
      if (latestBlock.getAsLong() >= deadlineBlock) {
        return false;
      }
      sleep(poll);
    }
    return false;
  }

  /**
   * The deltas of this stage's accepted lanes of round q, in lane order (DESIGN.md §7); empty when
   * one of them could not be obtained before the deadline block: a base made without it would not
   * be the base every honest node computes, so the miner sits the round out instead of committing
   * it (and is asked again at the next round, the deltas it has kept).
   */
  private Optional<List<List<HostTensor>>> acceptedDeltas(long q, long deadlineBlock) {
    LaneAssignment lanes = planner.lanesOf(q);
    // the round is finalized: its commitments no longer change, read them once (a conviction can
    // still come from a late verdict; it is read on each try)
    Map<Address, CommitmentInfo> commitments = new HashMap<>();
    for (List<Address> lane : lanes.lanes()) {
      for (Address m : lane) {
        commitments.put(m, runs.commitmentOf(q, m.toHex()));
      }
    }
    // and so do the attestations: availability is final once the check window is over
    Availability availability = runs.availability(q);
    Map<Address, List<HostTensor>> got = new HashMap<>();
    warned.removeIf(k -> !k.startsWith(q + " "));
    while (true) {
      AcceptedDeltas.Result accepted =
          AcceptedDeltas.collect(
              lanes,
              stage,
              m -> commitments.get(m).convicted() || runs.commitmentOf(q, m.toHex()).convicted(),
              m -> commitments.get(m).committed(),
              availability::available,
              m -> Optional.ofNullable(got.get(m)).or(() -> fetchDelta(q, m, got)));
      if (accepted.complete()) {
        LOG.info(
            "round {}: {} lanes, {} accepted in stage {}: {}",
            q,
            lanes.lanes().size(),
            accepted.deltas().size(),
            stage,
            accepted.members());
        return Optional.of(accepted.deltas());
      }
      if (stopping.getAsBoolean() || latestBlock.getAsLong() >= deadlineBlock) {
        LOG.warn(
            "round {}: the deltas of {} could not be obtained; this miner sits out round {}"
                + " rather than commit a base without them",
            q,
            accepted.unavailable(),
            q + 1);
        return Optional.empty();
      }
      sleep(poll.compareTo(RETRY) > 0 ? poll : RETRY);
    }
  }

  private Optional<List<HostTensor>> fetchDelta(
      long q, Address m, Map<Address, List<HostTensor>> got) {
    Optional<List<HostTensor>> d = m.equals(me) ? ownDelta(q) : peerDelta(q, m);
    d.ifPresent(x -> got.put(m, x));
    return d;
  }

  private Optional<List<HostTensor>> ownDelta(long q) {
    return journal.deltaBytes(q).map(TensorCodec::decodeList);
  }

  /**
   * A stage peer's delta from the peer, else from a validator of the round that verified it and
   * re-serves it by its committed hash (DESIGN §7 v2): a peer that serves validators but not its
   * stage peers does not stall them.
   */
  private Optional<List<HostTensor>> peerDelta(long q, Address peer) {
    Optional<List<HostTensor>> direct = fromPeer(q, peer);
    return direct.isPresent() ? direct : fromValidators(q, peer);
  }

  private Optional<List<HostTensor>> fromValidators(long q, Address peer) {
    Optional<Bytes32> hash = committedHashes.deltaHash(q, peer);
    if (hash.isEmpty()) {
      warnOnce(q, peer, "no Committed event on chain");
      return Optional.empty();
    }
    for (String v : runs.validatorsAt(q)) {
      String endpoint = runs.memberOf(v).endpoint().replaceAll("/$", "");
      Fetched<List<HostTensor>> d =
          peers.verifiedDelta(
              Address.fromHex(v),
              endpoint,
              TensorCodec::decodeList,
              TensorCodec::hashList,
              hash.get());
      if (d.ok()) {
        LOG.info("round {}: the delta of {} obtained from validator {}", q, peer, v);
        return Optional.of(d.value());
      }
      warnOnce(q, peer, "the delta from validator " + v + ": " + d.failure());
    }
    return Optional.empty();
  }

  private Optional<List<HostTensor>> fromPeer(long q, Address peer) {
    String endpoint = runs.memberOf(peer.toHex()).endpoint().replaceAll("/$", "");
    Fetched<ServedCommitment> c = peers.commitment(peer, endpoint, q);
    if (!c.ok()) {
      warnOnce(q, peer, "the commitment: " + c.failure());
      return Optional.empty();
    }
    if (!runs.commitmentMatches(q, peer.toHex(), c.value().commitment())) {
      warnOnce(q, peer, "the commitment it serves is not its commitment on chain");
      return Optional.empty();
    }
    Fetched<List<HostTensor>> delta =
        peers.delta(
            peer,
            endpoint,
            q,
            TensorCodec::decodeList,
            TensorCodec::hashList,
            c.value().commitment().deltaHash());
    if (!delta.ok()) {
      warnOnce(q, peer, "the delta: " + delta.failure());
      return Optional.empty();
    }
    return Optional.of(delta.value());
  }

  /** Logs a failure to obtain a peer's delta once per round, peer and reason (it is retried). */
  private void warnOnce(long q, Address peer, String what) {
    if (warned.add(q + " " + peer + " " + what)) {
      LOG.warn("round {}: {} of {} (asked for again until the deadline)", q, what, peer);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
