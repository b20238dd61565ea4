package io.protolearn.miner.node;

import io.protolearn.chain.client.RunClient;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.node.artifact.ArtifactClient;
import io.protolearn.node.artifact.ServedCommitment;
import io.protolearn.node.http.Fetched;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.lanes.LaneAssignment;
import io.protolearn.protocol.round.RoundClock;
import io.protolearn.training.lane.AcceptedDeltas;
import io.protolearn.training.lane.OuterStep;
import io.protolearn.training.lane.OuterStep.OuterState;
import io.protolearn.training.spec.RunSpecs;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This stage's base of each round (DESIGN.md §7): the outer step of the previous base with the mean
 * of the accepted lanes' deltas of the previous round, once it is finalized. A lane is accepted
 * when none of its members was convicted and its member of this stage committed; that member's
 * delta is fetched from it and checked against its on-chain commitment. Bases are kept in the
 * journal.
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
      Adversary adversary) {
    this.aggregates = adversary.aggregates();
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
          base = outer.apply(base, acceptedDeltas(q));
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

  /** The deltas of this stage's accepted lanes of round q, in lane order (DESIGN.md §7). */
  private List<List<HostTensor>> acceptedDeltas(long q) {
    LaneAssignment lanes = LaneAssignment.of(planner.minersByStage(q), planner.laneSeed(q));
    AcceptedDeltas.Result accepted =
        AcceptedDeltas.collect(
            lanes,
            stage,
            m -> runs.commitmentOf(q, m.toHex()).convicted(),
            m -> runs.commitmentOf(q, m.toHex()).committed(),
            m -> m.equals(me) ? ownDelta(q) : peerDelta(q, m));
    for (Address m : accepted.unavailable()) {
      LOG.warn("round {}: the delta of {} is not available; its lane is left out", q, m);
    }
    return accepted.deltas();
  }

  private Optional<List<HostTensor>> ownDelta(long q) {
    return journal.deltaBytes(q).map(TensorCodec::decodeList);
  }

  private Optional<List<HostTensor>> peerDelta(long q, Address peer) {
    String endpoint = runs.memberOf(peer.toHex()).endpoint().replaceAll("/$", "");
    Fetched<ServedCommitment> c = peers.commitment(endpoint, q);
    if (!c.ok()) {
      LOG.warn("round {}: the commitment of {}: {}", q, peer, c.failure());
      return Optional.empty();
    }
    if (!runs.commitmentMatches(q, peer.toHex(), c.value().commitment())) {
      LOG.warn("round {}: the commitment served by {} is not its commitment on chain", q, peer);
      return Optional.empty();
    }
    Fetched<List<HostTensor>> delta =
        peers.delta(
            endpoint,
            q,
            TensorCodec::decodeList,
            TensorCodec::hashList,
            c.value().commitment().deltaHash());
    if (!delta.ok()) {
      LOG.warn("round {}: the delta of {}: {}", q, peer, delta.failure());
      return Optional.empty();
    }
    return Optional.of(delta.value());
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
