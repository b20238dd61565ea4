package io.protolearn.validator.node;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.model.RunInfo;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.round.RoundClock;
import io.protolearn.protocol.sampling.Sampling;
import io.protolearn.validator.node.CheckOutcome.Fault;
import io.protolearn.validator.node.CheckOutcome.Match;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The check schedule (DESIGN.md §5): every round whose commit window closed is checked once, within
 * its check window — the seed drawn, the sampled steps assigned to this validator (and step 0 of
 * every miner whose committed base is not the aggregated one) checked on the worker pool until the
 * window's safety margin, the faults filed, and the round attested once every committed update is
 * verified for availability (§7 v2) or the window's margin is reached — that wait spans ticks, so
 * that jury duties and settlement go on meanwhile.
 */
final class RoundChecks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RoundChecks.class);

  /** How long a finished check round waits for its availability pass before the next tick. */
  private static final Duration AVAILABILITY_GRACE = Duration.ofSeconds(3);

  /**
   * Blocks by which the availability pass ends before the checks' deadline, so that the attestation
   * is sent while its window is open even if the tick thread first waits for another transaction (a
   * jury vote, a challenge) to be mined.
   */
  static final long ATTEST_MARGIN_BLOCKS = 1;

  /** Blocks kept for the last try at a step found unavailable, before it is filed. */
  static final long LAST_TRY_BLOCKS = 2;

  /**
   * The block from which a round's steps found unavailable are asked for a last time and, still
   * unavailable, filed (DESIGN §5 v2: classify before accusing): as late as leaves each filing its
   * two transactions (commit, reveal) by the end of the check window. A miner that was slow, or
   * whose port was jammed, at the first fetch and serves by then is not accused — before, the one
   * failed fetch was filed at once and the honest challenger lost its bond when the jurors, asking
   * again, acquitted.
   */
  static long unavailableFileBlock(RoundClock clock, long safetyBlocks, int faults) {
    return clock.checkEnd() - safetyBlocks - 2L * faults - LAST_TRY_BLOCKS;
  }

  private final ProtocolClient chain;
  private final Address self;
  private final ValidatorConfig config;
  private final ValidatorMetrics metrics;
  private final StepChecker checker;
  private final StepChecks checks;
  private final LongFunction<RoundView> views;
  private final FaultFiler faults;
  private final Attester attester;
  private final ExecutorService workers;
  private final ExecutorService verifier =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "validator-availability");
            t.setDaemon(true);
            return t;
          });
  private final Map<Long, PendingAttestation> pending = new TreeMap<>();
  private final HeldFaults held;
  private long nextRound;

  RoundChecks(
      ProtocolClient chain,
      ValidatorConfig config,
      ValidatorMetrics metrics,
      StepChecker checker,
      StepChecks checks,
      LongFunction<RoundView> views,
      FaultFiler faults,
      Attester attester,
      HeldFaults held,
      long from) {
    this.chain = chain;
    this.self = Address.fromHex(chain.address());
    this.config = config;
    this.metrics = metrics;
    this.checker = checker;
    this.checks = checks;
    this.views = views;
    this.faults = faults;
    this.attester = attester;
    this.held = held;
    this.nextRound = from;
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            config.workers(),
            r -> {
              Thread t = new Thread(r, "validator-check-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Whether a checked round still waits for its attestation (its availability pass). */
  boolean attesting() {
    return !pending.isEmpty() || !held.isEmpty();
  }

  /**
   * What is due between two transactions of the tick: an attestation whose availability pass is
   * over, unavailable steps whose filing block came.
   */
  void due() {
    attestWhenReady();
    fileWhenDue();
  }

  /** Reads back the accusations held for a last try before a restart (DESIGN §5 v2). */
  void recover() {
    held.recover(views, chain.blockNumber());
  }

  /** The first round not checked yet. */
  long next() {
    return nextRound;
  }

  /** The round whose view could not be read yet, said once. */
  private long notReadable = -1;

  void checkRounds(long head) {
    due();
    long current = chain.runs().currentRound();
    RunInfo run = chain.runs().info();
    if (run.halted()) { // halted rounds take no commits: nothing to check from there on
      current = Math.min(current, run.haltedFromRound() - 1);
    }
    for (long r = nextRound; r <= current; r++) {
      RoundClock clock = chain.runs().clock(r);
      if (head < clock.seedBlock()) {
        return; // commit window still open: the next transaction could not draw the seed
      }
      long checkEnd = clock.checkEnd();
      nextRound = r + 1;
      if (!chain.runs().validatorsAt(r).stream().anyMatch(v -> Address.fromHex(v).equals(self))) {
        continue;
      }
      if (chain.runs().attestationOf(r, self.toHex()).attested()) {
        continue;
      }
      if (head + 1 + config.safetyBlocks() > checkEnd) {
        metrics.roundsMissed.inc();
        LOG.warn("round {}: check window closed at block {} before it was checked", r, checkEnd);
        continue;
      }
      nextRound = r; // a failing check (RPC down) is retried at the next tick
      try {
        checkRound(r);
      } catch (RoundView.NotYetReadable e) {
        if (notReadable != r) {
          notReadable = r;
          LOG.info("{}; checked at a later tick", e.getMessage());
        }
        return;
      }
      nextRound = r + 1;
    }
  }

  private record Task(Address miner, int step) {}

  private void checkRound(long round) {
    ensureSeed(round);
    RoundView view = views.apply(round);
    List<Task> tasks = assigned(view);
    LOG.info(
        "round {}: {} miners committed, {} sampled steps assigned to this validator",
        round,
        view.commitments().size(),
        tasks.size());
    List<Future<CheckOutcome>> futures = new ArrayList<>();
    for (Task t : tasks) {
      futures.add(
          workers.submit(
              () -> {
                long t0 = System.nanoTime();
                CheckOutcome o = checks.check(view, t.miner(), t.step());
                metrics.checkSeconds.observe((System.nanoTime() - t0) / 1e9);
                return o;
              }));
    }
    List<CheckOutcome> done = new ArrayList<>();
    int unfinished = 0;
    long deadlineBlock = view.checkEnd() - config.safetyBlocks();
    long wallDeadline =
        System.nanoTime()
            + config.blockTime().toNanos() * Math.max(0, deadlineBlock - chain.blockNumber() - 1);
    // while the checks run: fetch and verify every committed update for the attestation's
    // availability (DESIGN §7 v2), on a thread of its own until all are verified or the window is
    // over; the attestation waits for it across ticks, the tick thread does not
    Set<Address> verified = ConcurrentHashMap.newKeySet();
    // the pass ends a block before the checks' deadline: the attestation then still lands in the
    // window when the tick thread is waiting on another transaction's receipt
    long availabilityDeadline = deadlineBlock - ATTEST_MARGIN_BLOCKS;
    long availabilityWall = wallDeadline - config.blockTime().toNanos() * ATTEST_MARGIN_BLOCKS;
    BooleanSupplier timeUp =
        () ->
            chain.blockNumber() + 1 > availabilityDeadline || System.nanoTime() > availabilityWall;
    Future<?> availability = verifier.submit(() -> checks.available(view, verified, timeUp));
    for (Future<CheckOutcome> f : futures) {
      CheckOutcome o = await(f, deadlineBlock, wallDeadline);
      if (o == null) {
        unfinished++;
        f.cancel(true);
      } else {
        done.add(o);
        metrics.checks.labelValues(outcomeLabel(o)).inc();
        if (!(o instanceof Match)) {
          LOG.warn("round {}: miner {} step {}: {}", round, o.accused(), o.step(), o.describe());
        }
      }
    }
    if (unfinished > 0) {
      metrics.unfinished.inc(unfinished);
      LOG.warn(
          "round {}: {} of {} assigned checks not finished before block {}; they are not attested",
          round,
          unfinished,
          tasks.size(),
          deadlineBlock);
    }
    pending.put(
        round, new PendingAttestation(view, done, tasks.size(), verified, availability, timeUp));
    List<Fault> now = new ArrayList<>();
    List<Fault> later = new ArrayList<>();
    for (Fault f : FaultFiler.strongest(done)) {
      (f instanceof CheckOutcome.Unavailable ? later : now).add(f);
    }
    // room for the held steps and one update challenge (more are filed while the window lasts;
    // the other validators file the rest)
    long fileAt = unavailableFileBlock(view.clock(), config.safetyBlocks(), later.size() + 1);
    if (chain.blockNumber() >= fileAt) {
      now.addAll(later); // no time left for another try
      later.clear();
    }
    faults.respond(view, now, this::attestWhenReady);
    if (!later.isEmpty()) {
      LOG.info(
          "round {}: {} step(s) not obtained; asked for again at block {} before filing",
          round,
          later.size(),
          fileAt);
    }
    held.put(new HeldFaults.Held(view, later, verified, fileAt));
    awaitBriefly(availability, timeUp);
    due();
  }

  /**
   * Asks once more for each deferred unavailable step whose filing block came; files what is still
   * unavailable, or the fault the new try found instead (a wrong result), and drops what matches.
   */
  private void fileWhenDue() {
    long head = chain.blockNumber();
    for (HeldFaults.Held d : held.due(head)) {
      long deadlineBlock =
          d.view().checkEnd() - config.safetyBlocks() - 2L * (d.faults().size() + 1);
      long wallLimit =
          System.nanoTime() + config.blockTime().toNanos() * Math.max(1, deadlineBlock - head - 1);
      List<CheckOutcome> still = new ArrayList<>();
      for (Fault u : d.tries()) {
        Future<CheckOutcome> f =
            workers.submit(() -> checks.check(d.view(), u.accused(), u.step()));
        CheckOutcome again = await(f, deadlineBlock, wallLimit);
        if (again == null) {
          f.cancel(true);
          still.add(u);
        } else if (again instanceof Match) {
          LOG.info(
              "round {}: miner {} step {} served on the last try; not accused",
              d.view().round(),
              u.accused(),
              u.step());
        } else {
          still.add(again);
        }
      }
      faults.respond(d.view(), still, this::attestWhenReady);
      held.remove(d.view().round()); // after: a failing filing (RPC down) is tried at the next tick
    }
  }

  /**
   * Gives the availability pass {@link #AVAILABILITY_GRACE} more once the checks are done: when
   * every miner serves, it is over by then and the round is attested in this tick.
   */
  private static void awaitBriefly(Future<?> availability, BooleanSupplier timeUp) {
    long until = System.nanoTime() + AVAILABILITY_GRACE.toNanos();
    while (!availability.isDone() && !timeUp.getAsBoolean() && System.nanoTime() < until) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** A checked round whose attestation waits for the availability pass. */
  private record PendingAttestation(
      RoundView view,
      List<CheckOutcome> done,
      int assigned,
      Set<Address> verified,
      Future<?> availability,
      BooleanSupplier timeUp) {}

  /**
   * Attests each checked round once its availability pass is over: every committed update verified,
   * or the window's safety margin reached (what is verified by then is attested available).
   */
  private void attestWhenReady() {
    for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
      PendingAttestation p = it.next().getValue();
      if (!p.availability().isDone() && !p.timeUp().getAsBoolean()) {
        continue;
      }
      p.availability().cancel(true);
      it.remove();
      attester.attest(p.view(), p.done(), p.assigned(), Set.copyOf(p.verified()));
    }
  }

  private static String outcomeLabel(CheckOutcome o) {
    return o instanceof Match ? "match" : ((Fault) o).kind();
  }

  /**
   * Waits for a check while the chain is before the deadline block and the expected time of the
   * blocks left has not passed; null if it did not finish in time.
   */
  private CheckOutcome await(Future<CheckOutcome> f, long deadlineBlock, long wallLimit) {
    while (true) {
      try {
        return f.get(100, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (chain.blockNumber() + 1 > deadlineBlock || System.nanoTime() > wallLimit) {
          return null;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      } catch (Exception e) {
        LOG.error("a check failed unexpectedly", e);
        return null;
      }
    }
  }

  private void ensureSeed(long round) {
    if (chain.runs().drawSeedIfMissing(round)) {
      LOG.info("round {}: drew the seed", round);
    }
  }

  /**
   * The sampled steps assigned to this validator, plus step 0 of every miner whose committed base
   * is not the aggregated one, interleaved across miners (each miner's steps in order) so that a
   * check window too short for all of them still covers every miner.
   */
  private List<Task> assigned(RoundView view) {
    int me = view.validators().indexOf(self);
    int n = view.validators().size();
    List<List<Task>> perMiner = new ArrayList<>();
    Map<String, Integer> bases = new java.util.TreeMap<>();
    for (RoundView.Committed c : view.commitments().values()) {
      if (chain.runs().commitmentOf(view.round(), c.miner().toHex()).convicted()) {
        continue;
      }
      List<Task> mine = new ArrayList<>();
      Optional<Boolean> baseMatches = checker.baseMatches(view, c);
      String outcome = baseMatches.map(ok -> ok ? "match" : "wrong").orElse("unknown");
      metrics.bases.labelValues(outcome).inc();
      bases.merge(outcome, 1, Integer::sum);
      boolean wrongBase = !baseMatches.orElse(true);
      if (wrongBase) {
        mine.add(new Task(c.miner(), 0)); // every validator checks the aggregation (DESIGN §7)
      }
      for (int step :
          Sampling.sampledSteps(
              view.seed(), c.miner(), (int) c.commitment().stepCount(), view.sampleRateBps())) {
        if (Sampling.assignedValidator(view.seed(), c.miner(), step, n) == me
            && !(wrongBase && step == 0)) {
          mine.add(new Task(c.miner(), step));
        }
      }
      perMiner.add(mine);
    }
    LOG.info(
        "round {}: committed bases against the aggregation: {} match, {} wrong, {} not known",
        view.round(),
        bases.getOrDefault("match", 0),
        bases.getOrDefault("wrong", 0),
        bases.getOrDefault("unknown", 0));
    List<Task> order = new ArrayList<>();
    for (int i = 0; ; i++) {
      boolean any = false;
      for (List<Task> m : perMiner) {
        if (i < m.size()) {
          order.add(m.get(i));
          any = true;
        }
      }
      if (!any) {
        return order;
      }
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
    verifier.shutdownNow();
  }
}
