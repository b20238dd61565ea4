package io.protolearn.miner.node;

import io.protolearn.chain.client.RunClient;
import io.protolearn.cli.Ether;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.round.RoundClock;
import io.protolearn.training.lane.LaneInbox;
import io.protolearn.training.lane.OuterStep.OuterState;
import io.protolearn.training.lane.RoundContext;
import io.protolearn.training.lane.StageRunner;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of the miner (docs/MINER.md): resumes or skips what the journal says a restart left,
 * gets the base from the {@link BaseAggregator} and the lane from the {@link LanePlanner}, trains
 * the lane's steps with the {@link StageRunner}, journals the result and commits it.
 */
final class RoundTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(RoundTrainer.class);

  /** What a round needs from the node's set-up. */
  record Parts(
      RunClient runs,
      int stage,
      Address me,
      TensorMessage.Domain domain,
      RoundJournal journal,
      LanePlanner planner,
      BaseAggregator aggregator,
      StageRunner runner,
      LaneInbox inbox,
      PeerClient peers,
      PartyCache parties,
      LiveRound live,
      ChainHead head,
      CommitmentChoice commitments,
      RoundCommitter committer,
      MinerClaims claims,
      MinerMetrics metrics,
      Progress progress,
      IntSupplier stepsPerRound) {}

  private final Parts p;
  private final Duration peerTimeout;
  private final int deadlineMarginBlocks;
  private final int retentionRounds;

  RoundTrainer(Parts parts, MinerNode.Config config) {
    this.p = parts;
    this.peerTimeout = config.peerTimeout();
    this.deadlineMarginBlocks = config.deadlineMarginBlocks();
    this.retentionRounds = config.retentionRounds();
  }

  void handle(long r, RoundClock clock) {
    refreshParties(r);
    if (!p.runs().minersAt(p.stage(), r).stream().map(Address::fromHex).toList().contains(p.me())) {
      LOG.info("not a miner of stage {} in round {}", p.stage(), r);
      return;
    }
    Optional<RoundJournal.Trained> done = p.journal().trained(r);
    if (done.isPresent()) {
      p.progress()
          .line(
              "round "
                  + r
                  + ": trained before a restart; commit "
                  + p.committer().ensureCommitted(r, done.get(), clock));
      return;
    }
    if (p.journal().started(r)) {
      p.progress().line("round " + r + ": interrupted by a restart; not training it a second time");
      return;
    }
    long deadline = clock.commitDeadline() - deadlineMarginBlocks;
    Optional<OuterState> base = p.aggregator().baseFor(r, deadline);
    if (base.isEmpty()) {
      p.progress()
          .line(
              "round "
                  + r
                  + ": no base (the previous round is not final, or an accepted delta could not be"
                  + " obtained); sitting it out");
      return;
    }
    Optional<RoundPlan> plan = p.planner().plan(r);
    if (plan.isEmpty()) {
      p.progress().line("round " + r + ": standby (more miners of this stage than lanes)");
      return;
    }
    if (p.head().block() >= deadline) {
      p.progress().line("round " + r + ": too close to the commit deadline to train; skipped");
      return;
    }
    train(plan.get(), base.get(), clock, deadline);
  }

  private void train(RoundPlan plan, OuterState base, RoundClock clock, long deadline) {
    long r = plan.round();
    p.journal().markStarted(r);
    p.inbox().startRound(r);
    p.live().training(plan);
    p.progress().startRound(r);
    int k = p.stepsPerRound().getAsInt();
    HttpLaneLink link =
        new HttpLaneLink(
            p.peers(),
            p.inbox(),
            plan,
            peerTimeout,
            () -> p.head().block() >= deadline,
            p.metrics());
    p.metrics().stepsStarted();
    StageRunner.Result result =
        p.runner()
            .run(
                new RoundContext(plan.runId(), r, p.domain()),
                plan.lane(),
                plan.members(),
                base.params(),
                k,
                link,
                (step, of, loss) -> {
                  p.metrics().step();
                  p.progress().stepDone(step, of, loss);
                });
    if (result.stepCount() == 0) {
      p.progress()
          .line(
              "round "
                  + r
                  + " | lane "
                  + plan.lane()
                  + " | no step completed: "
                  + result.failure().orElse("?"));
      return;
    }
    RoundJournal.Trained own =
        new RoundJournal.Trained(
            r,
            plan.lane(),
            plan.stage(),
            plan.members().stream().map(Address::toHex).toList(),
            result.tree().root().toHex(),
            result.stepCount(),
            result.deltaHash().toHex(),
            result.baseHash().toHex(),
            result.meanLoss());
    RoundJournal.Trained t = p.commitments().choose(own, clock.start(), deadline);
    p.journal().markTrained(t, result.delta());
    p.metrics().roundTrained(r, result.meanLoss());
    String commit = p.committer().ensureCommitted(r, t, clock);
    BigInteger claimable = p.claims().claimableTotal(r);
    p.progress()
        .line(
            String.format(
                "round %d | lane %d stage %d | loss %s | steps %d/%d | commit %s | shares"
                    + " claimable %s",
                r,
                plan.lane(),
                plan.stage(),
                Double.isNaN(result.meanLoss()) ? "-" : String.format("%.4f", result.meanLoss()),
                result.stepCount(),
                k,
                commit,
                Ether.format(claimable)));
  }

  private void refreshParties(long r) {
    for (long q = Math.max(0, r - retentionRounds + 1); q <= r; q++) {
      Set<Address> validators = new HashSet<>();
      p.runs().validatorsAt(q).forEach(v -> validators.add(Address.fromHex(v)));
      Set<Address> miners = new HashSet<>();
      p.runs().minersAt(p.stage(), q).forEach(m -> miners.add(Address.fromHex(m)));
      p.parties().put(q, validators, miners);
    }
  }
}
