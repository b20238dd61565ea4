package io.protolearn.validator.node;

import io.protolearn.chain.client.DisputeClient;
import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.events.ChainEvent;
import io.protolearn.chain.events.EventFeed;
import io.protolearn.chain.model.AttestationInfo;
import io.protolearn.chain.model.RoundInfo;
import io.protolearn.chain.model.RunInfo;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.node.artifact.ProvenLeaf;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.merkle.StandardMerkleTree;
import io.protolearn.protocol.round.RoundClock;
import io.protolearn.protocol.sampling.Sampling;
import io.protolearn.training.lane.OuterStep;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.validator.node.CheckOutcome.Fault;
import io.protolearn.validator.node.CheckOutcome.Match;
import io.protolearn.validator.node.CheckOutcome.Unavailable;
import io.protolearn.validator.node.CheckOutcome.WrongResult;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validator node (DESIGN.md §5–§7), driven by {@link #tick()}: each call does what is due at
 * the chain's current block — check the rounds whose commit window closed (draw the seed, check the
 * assigned sampled steps on the worker pool, file fraud proofs or challenges, attest once), serve
 * jury duties by commit-reveal, resolve expired disputes, finalize and claim rounds, and withdraw
 * dispute payments. {@code validator run} calls it in a loop; tests call it after moving the local
 * chain's clock.
 *
 * <p>Crash safety: every one-shot action writes a durable marker ({@link MarkerStore}) before its
 * transaction is sent, and after a restart the chain is asked whether it landed (attestation,
 * evidence used, ballot) before anything is sent again; a vote's salt is on disk before the commit.
 */
public final class ValidatorService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ValidatorService.class);

  /** Test seam: reached between writing a marker and sending the transaction it guards. */
  public interface CrashPoints {
    CrashPoints NONE = point -> {};

    void reached(String point);
  }

  private final ProtocolClient chain;
  private final EventFeed events;
  private final StepChecker checker;
  private final MarkerStore markers;
  private final ValidatorConfig config;
  private final ValidatorMetrics metrics;
  private final CrashPoints crash;
  private final JuryService jury;
  private final ExecutorService workers;
  private final Address self;
  private final long runId;
  private final Map<Long, RoundView> views = new HashMap<>();
  private final boolean lazyChecks;
  private BaseTracker bases;
  private long nextRound;
  private long settleFrom;
  private long eventsFrom;

  public ValidatorService(
      ProtocolClient chain,
      StepChecker checker,
      MarkerStore markers,
      ValidatorConfig config,
      ValidatorMetrics metrics,
      CrashPoints crash) {
    this(chain, checker, markers, config, metrics, crash, false);
  }

  /**
   * {@code lazyChecks}: the lazy-validator adversary of the devnet demo — counts every assigned
   * step as a match without fetching or recomputing it (receipts over a zero leaf hash), so it
   * never challenges; its jury duties stay honest.
   */
  public ValidatorService(
      ProtocolClient chain,
      StepChecker checker,
      MarkerStore markers,
      ValidatorConfig config,
      ValidatorMetrics metrics,
      CrashPoints crash,
      boolean lazyChecks) {
    this.lazyChecks = lazyChecks;
    this.chain = chain;
    this.checker = checker;
    this.markers = markers;
    this.config = config;
    this.metrics = metrics;
    this.crash = crash;
    this.self = Address.fromHex(chain.address());
    this.runId = chain.runs().runId();
    this.events =
        new EventFeed(chain.web3j(), List.of(chain.runs().address(), chain.disputes().address()));
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            config.workers(),
            r -> {
              Thread t = new Thread(r, "validator-check-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.jury = new JuryService(chain, markers, metrics, crash, this::view, checker);
    long current = chain.runs().currentRound();
    this.nextRound = current;
    this.settleFrom = Math.max(0, current - 1);
    this.eventsFrom = chain.runs().clock(Math.max(0, current - 1)).start();
    jury.recover();
  }

  /**
   * Turns on the aggregation check (DESIGN.md §7): every stage's base of every round is recomputed
   * ({@link BaseTracker}, kept under {@code markers/bases}), step 0 of every miner whose committed
   * base differs from it is checked, and a juror judges step 0 against it too. Call before the
   * first {@link #tick}.
   *
   * @param initialParams each stage's round-0 parameters, from the run's specs
   */
  public void checkAggregation(IntFunction<List<HostTensor>> initialParams, OuterStep outer) {
    bases =
        new BaseTracker(
            chain,
            this::view,
            checker.client(),
            new MarkerStore(markers.dir().resolve("bases")),
            initialParams,
            outer);
    checker.checkBasesWith(bases);
  }

  public Address address() {
    return self;
  }

  public ValidatorMetrics metrics() {
    return metrics;
  }

  /** Does everything due at the current block. */
  public synchronized void tick() {
    long head = chain.blockNumber();
    scanEvents(head);
    checkRounds(head);
    head = chain.blockNumber();
    jury.act(head);
    if (config.claim()) {
      settle(head);
    }
    if (bases != null && !lazyChecks) {
      bases.prepare(chain.runs().currentRound());
    }
  }

  private void scanEvents(long head) {
    if (head < eventsFrom) {
      return;
    }
    for (ChainEvent e : events.poll(eventsFrom, head)) {
      if (e instanceof ChainEvent.ChallengeOpened o && o.runId() == runId) {
        jury.opened(o);
      } else if (e instanceof ChainEvent.ChallengeResolved r) {
        jury.resolved(r);
      }
    }
    eventsFrom = head + 1;
  }

  // ---- checks ----

  private void checkRounds(long head) {
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
      checkRound(r);
      nextRound = r + 1;
    }
  }

  private record Task(Address miner, int step) {}

  private void checkRound(long round) {
    ensureSeed(round);
    RoundView view = view(round);
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
                CheckOutcome o =
                    lazyChecks
                        ? new Match(t.miner(), t.step(), Bytes32.ZERO)
                        : checker.check(view, t.miner(), t.step());
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
    respond(view, done);
    attest(view, done, tasks.size());
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
    if (!chain.runs().seedOf(round).equals(Bytes32.ZERO)) {
      return;
    }
    try {
      chain.runs().drawSeed(round);
      LOG.info("round {}: drew the seed", round);
    } catch (ProtocolRevertException e) {
      LOG.debug("round {}: seed not drawn by us: {}", round, e.getMessage());
    }
  }

  RoundView view(long round) {
    synchronized (views) {
      RoundView v = views.get(round);
      if (v == null) {
        v = RoundView.read(chain, events, round);
        views.put(round, v);
        views.keySet().removeIf(r -> r < round - 4);
      }
      return v;
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

  // ---- responses ----

  /**
   * One response per accused miner: an on-chain proof if any, else a wrong result, else
   * unavailable.
   */
  private void respond(RoundView view, List<CheckOutcome> outcomes) {
    Map<Address, List<Fault>> byMiner = new LinkedHashMap<>();
    for (CheckOutcome o : outcomes) {
      if (o instanceof Fault f) {
        byMiner.computeIfAbsent(f.accused(), a -> new ArrayList<>()).add(f);
      }
    }
    for (List<Fault> faults : byMiner.values()) {
      faults.sort(Comparator.comparingInt(ValidatorService::rank));
      file(view, faults.get(0));
    }
  }

  private static int rank(Fault f) {
    return f instanceof Unavailable ? 2 : f instanceof WrongResult ? 1 : 0;
  }

  private void file(RoundView view, Fault fault) {
    long round = view.round();
    Bytes32 evidence = fault.evidenceHash(runId, round);
    String key = "fault-" + round + "-" + evidence.toHex().substring(2, 26);
    if (markers.has(key + ".done")) {
      return;
    }
    if (evidenceUsed(evidence)) {
      markers.put(key + ".done", "already on chain");
      return;
    }
    if (chain.runs().commitmentOf(round, fault.accused().toHex()).convicted()) {
      return;
    }
    if ((fault instanceof WrongResult || fault instanceof Unavailable)
        && agreesWithOpenChallenge(view, fault.accused())) {
      markers.put(key + ".done", "an open challenge already covers it");
      return;
    }
    markers.put(key, fault.kind() + " " + fault.accused() + " step " + fault.step());
    crash.reached("fault");
    try {
      send(view, fault);
      metrics.filed.labelValues(fault.kind()).inc();
      crash.reached("fault-sent");
      LOG.info(
          "round {}: filed {} against {} (step {}): {}",
          round,
          fault.kind(),
          fault.accused(),
          fault.step(),
          fault.describe());
      markers.put(key + ".done", "sent");
    } catch (ProtocolRevertException e) {
      LOG.warn(
          "round {}: {} against {} refused: {}",
          round,
          fault.kind(),
          fault.accused(),
          e.getMessage());
      markers.put(key + ".done", "refused " + e.errorName());
    }
  }

  private void send(RoundView view, Fault fault) {
    long round = view.round();
    String miner = fault.accused().toHex();
    var c = view.commitments().get(fault.accused()).commitment();
    DisputeClient d = chain.disputes();
    if (fault instanceof CheckOutcome.ChainBreak cb) {
      d.proveChainBreak(round, miner, c, provenOf(cb.a()), provenOf(cb.b()));
    } else if (fault instanceof CheckOutcome.BaseMismatch bm) {
      d.proveBaseMismatch(round, miner, c, provenOf(bm.leaf()));
    } else if (fault instanceof CheckOutcome.Malformed m) {
      d.proveMalformed(round, miner, c, provenOf(m.leaf()));
    } else if (fault instanceof CheckOutcome.Equivocation eq) {
      d.proveEquivocation(eq.message(), eq.signature(), c, provenOf(eq.senderLeaf()));
    } else if (fault instanceof WrongResult w) {
      d.challengeWrongResult(round, miner, c, provenOf(w.leaf()), view.params().challengeBond);
    } else if (fault instanceof Unavailable u) {
      d.challengeUnavailable(round, miner, c, u.step(), view.params().challengeBond);
    }
  }

  /**
   * Whether a challenge against the miner's round is already open on a step this validator also
   * finds faulty (it checks that step itself, as a juror would). Then that challenge convicts and a
   * second one would only lock another bond; a challenge on a step it finds honest does not count,
   * so a bogus first challenge cannot shield the miner.
   */
  private boolean agreesWithOpenChallenge(RoundView view, Address miner) {
    long from = view.clock().seedBlock();
    for (ChainEvent e : events.poll(from, chain.blockNumber())) {
      if (e instanceof ChainEvent.ChallengeOpened o
          && o.runId() == runId
          && o.round() == view.round()
          && Address.fromHex(o.miner()).equals(miner)
          && chain.disputes().challenge(o.challengeId()).open()
          && !(checker.check(view, miner, Math.toIntExact(o.step())) instanceof Match)) {
        LOG.info(
            "round {}: challenge {} against {} (step {}) is open and agreed with; not filing another",
            view.round(),
            o.challengeId(),
            miner,
            o.step());
        return true;
      }
    }
    return false;
  }

  private static DisputeClient.ProvenLeaf provenOf(ProvenLeaf p) {
    return new DisputeClient.ProvenLeaf(p.leaf(), p.proof());
  }

  private boolean evidenceUsed(Bytes32 evidence) {
    return chain.disputes().evidenceUsed(evidence);
  }

  // ---- attestation ----

  private void attest(RoundView view, List<CheckOutcome> done, int assigned) {
    long round = view.round();
    List<Bytes32> receipts = new ArrayList<>();
    for (CheckOutcome o : done) {
      if (o instanceof Match m) {
        receipts.add(m.receipt());
      }
    }
    if (done.isEmpty() && assigned > 0) {
      LOG.warn("round {}: none of {} assigned checks finished; not attesting", round, assigned);
      return;
    }
    if (chain.runs().attestationOf(round, self.toHex()).attested()) {
      return;
    }
    Bytes32 root = receipts.isEmpty() ? Bytes32.ZERO : StandardMerkleTree.of(receipts).root();
    markers.put("attest-" + round, root.toHex() + " " + receipts.size());
    crash.reached("attest");
    try {
      chain.runs().attest(round, root, receipts.size());
      metrics.attestations.inc();
      crash.reached("attest-sent");
      LOG.info("round {}: attested {} checks, receipts root {}", round, receipts.size(), root);
      markers.put("attested-" + round, root.toHex());
    } catch (ProtocolRevertException e) {
      LOG.warn("round {}: attestation refused: {}", round, e.getMessage());
    }
  }

  // ---- finalize, claim, withdraw ----

  private void settle(long head) {
    long current = chain.runs().currentRound();
    for (long r = settleFrom; r < current; r++) {
      RoundClock clock = chain.runs().clock(r);
      if (head + 1 <= clock.voteEnd()) {
        return;
      }
      RoundInfo info = chain.runs().roundInfo(r);
      if (!info.finalized()) {
        if (info.openDisputes() > 0) {
          return; // a dispute of this round is still open; later rounds wait in order
        }
        try {
          chain.runs().finalizeRound(r);
        } catch (ProtocolRevertException e) {
          LOG.debug("round {}: not finalized: {}", r, e.getMessage());
          return;
        }
      }
      AttestationInfo a = chain.runs().attestationOf(r, self.toHex());
      if (a.attested() && !a.claimed()) {
        BigInteger amount = chain.runs().claimable(r, self.toHex());
        if (amount.signum() > 0) {
          try {
            chain.runs().claim(r);
            metrics.sharesClaimed.inc(amount.doubleValue());
            LOG.info("round {}: claimed {} share wei", r, amount);
          } catch (ProtocolRevertException e) {
            LOG.warn("round {}: claim refused: {}", r, e.getMessage());
          }
        }
      }
      settleFrom = r + 1;
    }
    BigInteger owed = chain.disputes().owedTo(self.toHex());
    if (owed.signum() > 0) {
      try {
        chain.disputes().withdrawPayments();
        metrics.paymentsWithdrawn.inc(owed.doubleValue());
        LOG.info("withdrew {} wei of dispute payments", owed);
      } catch (ProtocolRevertException e) {
        LOG.warn("withdrawal refused: {}", e.getMessage());
      }
    }
  }

  /**
   * Whether the run is paused or halted and, once halted, whether this validator has done all it
   * owes for the rounds before the halt (checks, jury duties, finalize and claims, payments).
   */
  public synchronized RunStatus runStatus() {
    RunInfo run = chain.runs().info();
    long haltedFrom = run.haltedFromRound();
    boolean settled =
        run.halted()
            && nextRound >= haltedFrom
            && jury.idle()
            && (!config.claim()
                || (settleFrom >= haltedFrom
                    && chain.disputes().owedTo(self.toHex()).signum() == 0));
    return new RunStatus(run.paused(), run.halted(), haltedFrom, settled);
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
