package io.protolearn.miner.node;

import io.protolearn.chain.client.RunClient;
import io.protolearn.chain.model.RunInfo;
import io.protolearn.node.lifecycle.Opened;
import io.protolearn.node.lifecycle.Task;
import io.protolearn.node.store.StepStore;
import io.protolearn.protocol.round.RoundClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The miner node (issue 4): follows the run's round clock and, once per round, has the {@link
 * RoundTrainer} train and commit it, then claims what is final ({@link MinerClaims}) and prunes
 * what is past retention; idles while the run is paused and, once it is halted, claims what is owed
 * and stops. Put together by {@link MinerAssembly}; crash safety from the {@link RoundJournal} (see
 * docs/MINER.md).
 */
public final class MinerNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MinerNode.class);

  /** Settings of a node. */
  public record Config(
      Path dataDir,
      String host,
      int port,
      Duration peerTimeout,
      int maxSteps,
      Duration poll,
      int deadlineMarginBlocks,
      int retentionRounds,
      boolean terminal,
      long untilRound) {}

  private final RunClient runs;
  private final Config config;
  private final Progress progress;
  private final ChainHead head;
  private final LiveRound live;
  private final RoundTrainer rounds;
  private final MinerClaims claims;
  private final StepStore store;
  private final PartyCache parties;
  private final int port;
  private final Opened resources;

  MinerNode(
      RunClient runs,
      Config config,
      Progress progress,
      ChainHead head,
      LiveRound live,
      RoundTrainer rounds,
      MinerClaims claims,
      StepStore store,
      PartyCache parties,
      int port,
      Opened resources) {
    this.runs = runs;
    this.config = config;
    this.progress = progress;
    this.head = head;
    this.live = live;
    this.rounds = rounds;
    this.claims = claims;
    this.store = store;
    this.parties = parties;
    this.port = port;
    this.resources = resources;
  }

  /** Runs the node until the run halts, {@code untilRound} passes or it is closed; then closes. */
  public int run() {
    try {
      return loop();
    } finally {
      close();
    }
  }

  private int loop() {
    long handled = -1;
    boolean pausedSaid = false;
    while (!head.stopping()) {
      RunInfo info = runs.info();
      if (info.halted()) {
        return stopAfterHalt(info.haltedFromRound());
      }
      if (info.paused()) {
        if (!pausedSaid) {
          progress.line("run " + runs.runId() + " is paused; idling until it resumes");
          pausedSaid = true;
        }
        ChainHead.sleep(config.poll());
        continue;
      }
      pausedSaid = false;
      long r = runs.currentRound();
      RoundClock clock = runs.clock(r);
      drawSeedWhenDue(r, clock);
      if (head.block() >= clock.start() && r != handled) {
        live.at(r);
        long round = r;
        Task.survivingOutOfMemory("round " + r, () -> rounds.handle(round, clock));
        handled = r;
        claims.claimFinalized(r, head.block(), progress::line);
        store.prune(runs.runId(), r);
        parties.forgetBefore(r - config.retentionRounds() + 1);
      }
      drawSeedWhenDue(r, runs.clock(r));
      if (config.untilRound() >= 0 && handled >= config.untilRound()) {
        return 0;
      }
      ChainHead.sleep(config.poll());
    }
    return 0;
  }

  private long seeded = -1;

  /**
   * Draws round r's seed once its commit window has closed, if no validator has yet: a round whose
   * seed is not drawn within its check window is never checked and pays nobody (DESIGN §5), so a
   * miner that committed has every reason to draw it promptly. The seed is the seed block's hash;
   * when it is drawn does not change it.
   */
  private void drawSeedWhenDue(long r, RoundClock clock) {
    long now = head.block();
    if (r <= seeded || now <= clock.seedBlock() || now > clock.checkEnd()) {
      return;
    }
    seeded = r;
    if (runs.drawSeedIfMissing(r)) {
      LOG.info("round {}: drew the seed", r);
    }
  }

  /**
   * DESIGN §8: a halted run takes no more commits but still pays for finalized work. Claims every
   * round before the halt this miner committed (finalizing it when due), then stops with one line.
   */
  private int stopAfterHalt(long haltedFrom) {
    progress.line(
        "run " + runs.runId() + " is halted from round " + haltedFrom + "; claiming what is owed");
    List<Long> owed = claims.settleHalted(haltedFrom, head.block(), progress::line);
    while (!owed.isEmpty() && !head.stopping()) {
      ChainHead.sleep(config.poll());
      owed = claims.settleHalted(haltedFrom, head.block(), progress::line);
    }
    progress.line(
        "run "
            + runs.runId()
            + " is halted from round "
            + haltedFrom
            + (owed.isEmpty()
                ? ": nothing owed is left"
                : ": stopped with rounds " + owed + " owed")
            + "; the miner stops");
    return 0;
  }

  /** The HTTP port. */
  public int port() {
    return port;
  }

  @Override
  public synchronized void close() {
    if (!head.stop()) {
      return;
    }
    resources.close();
  }
}
