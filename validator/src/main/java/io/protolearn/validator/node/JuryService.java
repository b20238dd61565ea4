package io.protolearn.validator.node;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.events.ChainEvent;
import io.protolearn.chain.model.Ballot;
import io.protolearn.chain.model.Challenge;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jury duty (DESIGN.md §6): juries are drawn after filing ({@code drawJury}, from the hash of a
 * block after the challenge): this validator draws the jury of its own challenges as soon as their
 * draw block is mined, and of any other challenge of its run still undrawn {@link
 * #DRAW_GRACE_BLOCKS} blocks later. For every challenge whose drawn jurors include this validator,
 * check the disputed step (recompute, or try to fetch it) and vote by commit-reveal. The vote and
 * its salt are written durably ({@code vote-<id>}) before {@code commitVote} is sent, so a restart
 * always reveals the committed vote and never commits a second one (the ballot on chain says what
 * was sent). After {@code voteEnd} any open challenge it took part in (as juror or challenger) is
 * resolved.
 */
final class JuryService {
  private static final Logger LOG = LoggerFactory.getLogger(JuryService.class);

  private final ProtocolClient chain;
  private final MarkerStore markers;
  private final ValidatorMetrics metrics;
  private final ValidatorService.CrashPoints crash;
  private final LongFunction<RoundView> views;
  private final StepChecker checker;
  private final StepChecks checks;
  private final Address self;
  private final long runId;
  private final SecureRandom random = new SecureRandom();

  /** Blocks after a draw block at which any validator, not only the challenger, draws the jury. */
  static final long DRAW_GRACE_BLOCKS = 2;

  /** Open challenges of this run whose jury may need drawing (now, or as a redraw later). */
  private final Set<Long> watched = new TreeSet<>();

  /** Challenges this validator must vote on, resolve, or watch (its own). */
  private final Set<Long> duties = new TreeSet<>();

  private final Set<Long> own = new HashSet<>();

  JuryService(
      ProtocolClient chain,
      MarkerStore markers,
      ValidatorMetrics metrics,
      ValidatorService.CrashPoints crash,
      LongFunction<RoundView> views,
      StepChecker checker,
      StepChecks checks) {
    this.chain = chain;
    this.markers = markers;
    this.metrics = metrics;
    this.crash = crash;
    this.views = views;
    this.checker = checker;
    this.checks = checks;
    this.self = Address.fromHex(chain.address());
    this.runId = chain.runs().runId();
  }

  /** After a restart: every challenge with a vote marker is still a duty until it is resolved. */
  void recover() {
    for (String key : markers.keys("vote-")) {
      duties.add(Long.parseLong(key.substring("vote-".length())));
    }
  }

  void opened(ChainEvent.ChallengeOpened e) {
    long id = e.challengeId();
    watched.add(id);
    if (Address.fromHex(e.challenger()).equals(self)) {
      own.add(id);
      duties.add(id);
    }
  }

  void drawn(ChainEvent.JuryDrawn e) {
    long id = e.challengeId();
    boolean drawn = e.jurors().stream().anyMatch(j -> Address.fromHex(j).equals(self));
    if (!drawn || duties.contains(id)) {
      return;
    }
    Challenge ch = chain.disputes().challenge(id);
    if (ch.runId() != runId) {
      return;
    }
    duties.add(id);
    metrics.juryDuties.inc();
    LOG.info(
        "drawn as juror of challenge {} (draw {}; round {}, miner {}, step {})",
        id,
        e.draw(),
        ch.round(),
        ch.miner(),
        ch.step());
  }

  void resolved(ChainEvent.ChallengeResolved e) {
    long id = e.challengeId();
    if (own.remove(id) && e.guilty()) {
      metrics.challengesWon.inc();
      LOG.info("challenge {} resolved guilty", id);
    }
  }

  /** Whether no challenge awaits a vote, a reveal or a resolution by this validator. */
  boolean idle() {
    return duties.isEmpty();
  }

  /**
   * One pass over the duties. Reveals and resolutions go first — they are cheap, and a backlog of
   * checks must never make a reveal late (a burst of challenges cannot make this juror forfeit the
   * real one's bond) — then the votes still to commit, the earliest commit deadline first, each
   * skipped if its window closed while earlier ones were checked. {@code between} runs after each
   * duty: an attestation whose window is closing must not wait for a pass of jury transactions.
   */
  void act(long head, Runnable between) {
    drawDue(head + 1, between);
    List<VoteDue> toCommit = new ArrayList<>();
    for (Long id : new TreeSet<>(duties)) {
      try {
        settle(id, head + 1).ifPresent(toCommit::add);
      } catch (ProtocolRevertException e) {
        LOG.warn("challenge {}: refused: {}", id, e.getMessage());
      }
      between.run();
    }
    toCommit.sort(Comparator.comparingLong(v -> v.challenge().voteCommitEnd()));
    for (VoteDue due : toCommit) {
      long id = due.id();
      Challenge ch = due.challenge();
      if (chain.blockNumber() + 1 > ch.voteCommitEnd()) {
        LOG.warn("challenge {}: its commit window closed before this juror got to it", id);
        continue;
      }
      try {
        commit(id, ch);
      } catch (ProtocolRevertException e) {
        LOG.warn("challenge {}: vote refused: {}", id, e.getMessage());
      }
      between.run();
    }
  }

  /**
   * Draws the juries that are due: its own challenges' at once, anyone's after the grace. A draw
   * another validator made first is refused by the contract and ignored here.
   */
  private void drawDue(long next, Runnable between) {
    for (Long id : new TreeSet<>(watched)) {
      try {
        Challenge ch = chain.disputes().challenge(id);
        if (!ch.open()) {
          watched.remove(id);
        } else if (ch.drawableAt(next)
            && (own.contains(id) || next > ch.drawBlock() + DRAW_GRACE_BLOCKS)) {
          chain.disputes().drawJury(id);
          LOG.info("challenge {}: jury {} drawn", id, ch.draws() + 1);
        }
      } catch (ProtocolRevertException e) {
        LOG.debug("challenge {}: draw refused: {}", id, e.getMessage());
      }
      between.run();
    }
  }

  /**
   * Reveals this juror's committed vote when due and resolves the challenge when it can be (a
   * closed challenge is no longer a duty); returns the challenge when a vote is still to be
   * committed in its window.
   */
  private Optional<VoteDue> settle(long id, long next) {
    Challenge ch = chain.disputes().challenge(id);
    if (!ch.open()) {
      duties.remove(id);
      return Optional.empty();
    }
    Ballot ballot = chain.disputes().ballot(id, self.toHex());
    if (ballot.drawn()) {
      boolean committed = ballot.committed();
      if (!committed && !ch.juryDue() && next <= ch.voteCommitEnd()) {
        return Optional.of(new VoteDue(id, ch));
      } else if (committed
          && !ballot.revealed()
          && next > ch.voteCommitEnd()
          && next <= ch.voteEnd()) {
        reveal(id);
      }
    }
    if (ch.resolvableAt(next)) {
      try {
        chain.disputes().resolve(id);
        if (chain.disputes().challenge(id).open()) {
          LOG.info("challenge {}: too few reveals, a second jury is due", id);
        } else {
          LOG.info("challenge {}: resolved", id);
          duties.remove(id);
        }
      } catch (ProtocolRevertException e) {
        LOG.debug("challenge {}: resolve refused: {}", id, e.getMessage());
      }
    }
    return Optional.empty();
  }

  private record VoteDue(long id, Challenge challenge) {}

  private void commit(long id, Challenge ch) {
    String key = "vote-" + id;
    Optional<String> stored = markers.get(key);
    boolean guilty;
    Bytes32 salt;
    if (stored.isPresent()) {
      String[] parts = stored.get().split(" ");
      guilty = Boolean.parseBoolean(parts[0]);
      salt = Bytes32.fromHex(parts[1]);
    } else {
      Optional<Boolean> verdict = decide(id, ch);
      if (verdict.isEmpty()) {
        return; // asked again at a later tick
      }
      guilty = verdict.get();
      byte[] s = new byte[32];
      random.nextBytes(s);
      salt = new Bytes32(s);
      markers.put(key, guilty + " " + salt.toHex());
    }
    crash.reached("commit-vote");
    chain.disputes().commitVote(id, chain.disputes().voteCommitment(guilty, salt, self.toHex()));
    metrics.votesCommitted.inc();
    LOG.info("challenge {}: vote committed", id);
    crash.reached("commit-vote-sent");
  }

  private void reveal(long id) {
    Optional<String> stored = markers.get("vote-" + id);
    if (stored.isEmpty()) {
      LOG.error("challenge {}: a vote was committed but its salt is not on disk", id);
      return;
    }
    String[] parts = stored.get().split(" ");
    boolean guilty = Boolean.parseBoolean(parts[0]);
    crash.reached("reveal-vote");
    chain.disputes().revealVote(id, guilty, Bytes32.fromHex(parts[1]));
    metrics.votesRevealed.inc();
    LOG.info("challenge {}: vote revealed ({})", id, guilty ? "guilty" : "innocent");
    crash.reached("reveal-vote-sent");
  }

  /**
   * Checks the disputed step as a sampled step: anything but a match is guilty. A step that could
   * not be obtained (DESIGN §5 v2, classify before accusing) is asked for again at later ticks, on
   * fresh requests, until the commit window nears its end ({@link #lastTryBlocks}): a miner that is
   * merely slow, or whose port is jammed for a while, is not convicted on one failed fetch. Empty
   * while it waits.
   */
  private Optional<Boolean> decide(long id, Challenge ch) {
    if (ch.runId() != runId) {
      return Optional.of(false);
    }
    RoundView view = views.apply(ch.round());
    CheckOutcome o = checker.check(view, Address.fromHex(ch.miner()), Math.toIntExact(ch.step()));
    long next = chain.blockNumber() + 1;
    if (o instanceof CheckOutcome.Unavailable && next + lastTryBlocks(ch) < ch.voteCommitEnd()) {
      LOG.info(
          "challenge {}: step {} of {} not obtained yet ({}); asking again before voting",
          id,
          ch.step(),
          ch.miner(),
          o.describe());
      return Optional.empty();
    }
    LOG.info("challenge of miner {} step {}: {}", ch.miner(), ch.step(), o.describe());
    return Optional.of(checks.verdict(ch, !(o instanceof CheckOutcome.Match)));
  }

  /**
   * How many blocks before its commit deadline a juror that still cannot obtain the disputed step
   * votes anyway: half the commit span from the draw, at least {@link #MIN_LAST_TRY_BLOCKS}.
   */
  static long lastTryBlocks(Challenge ch) {
    long span = Math.max(0, ch.voteCommitEnd() - ch.drawBlock() - 1);
    return Math.max(MIN_LAST_TRY_BLOCKS, span / 2);
  }

  /** The fewest blocks a juror keeps to commit its vote after its last try (one tick, a send). */
  static final long MIN_LAST_TRY_BLOCKS = 3;
}
