package io.protolearn.validator.node;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.events.ChainEvent;
import io.protolearn.chain.events.EventFeed;
import io.protolearn.chain.model.RunInfo;
import io.protolearn.node.http.Fetched;
import io.protolearn.node.lifecycle.Opened;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.training.lane.OuterStep;
import io.protolearn.training.tensor.HostTensor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
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
  private final JuryService jury;
  private final StepChecks checks;
  private final VerifiedDeltas verified;
  private final RoundChecks rounds;
  private final Settlement settlement;
  private final ValidatorMetrics metrics;
  private final Address self;
  private final long runId;
  private final Map<Long, RoundView> views = new HashMap<>();
  private BaseTracker bases;
  private volatile Set<Address> parties = Set.of();
  private long partiesRound = -1;
  private long eventsFrom;
  private Opened resources = new Opened();

  public ValidatorService(
      ProtocolClient chain,
      StepChecker checker,
      MarkerStore markers,
      ValidatorConfig config,
      ValidatorMetrics metrics,
      CrashPoints crash) {
    this(chain, checker, markers, config, metrics, crash, UnaryOperator.identity());
  }

  /**
   * {@code adversary}: decorates the honest {@link StepChecks} of this validator's own checks and
   * its jury votes ({@link StepChecks#verdict}; the devnet demo's {@link LazyChecks}, whose jury
   * duties stay honest, and {@link GrinderChecks}).
   */
  public ValidatorService(
      ProtocolClient chain,
      StepChecker checker,
      MarkerStore markers,
      ValidatorConfig config,
      ValidatorMetrics metrics,
      CrashPoints crash,
      UnaryOperator<StepChecks> adversary) {
    this.chain = chain;
    this.checker = checker;
    this.markers = markers;
    this.config = config;
    this.metrics = metrics;
    this.self = Address.fromHex(chain.address());
    this.runId = chain.runs().runId();
    this.events =
        new EventFeed(chain.web3j(), List.of(chain.runs().address(), chain.disputes().address()));
    this.verified = new VerifiedDeltas(BaseTracker.fetcher(checker.client()));
    checker.checkUpdatesWith(
        (view, miner) -> {
          Fetched<?> f = verified.fetch(view, miner);
          return f.ok() ? Optional.empty() : Optional.of(f.failure());
        });
    this.checks = adversary.apply(StepChecks.honest(checker, () -> bases, verified));
    long current = chain.runs().currentRound();
    this.rounds =
        new RoundChecks(
            chain,
            config,
            metrics,
            checker,
            checks,
            this::view,
            new FaultFiler(chain, events, checker, markers, metrics, crash),
            new Attester(chain, markers, metrics, crash),
            new HeldFaults(markers),
            current);
    this.jury = new JuryService(chain, markers, metrics, crash, this::view, checker, checks);
    this.settlement = new Settlement(chain, self, metrics, Math.max(0, current - 1));
    this.eventsFrom = chain.runs().clock(Math.max(0, current - 1)).start();
    jury.recover();
    rounds.recover();
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
    verified.checkLayoutAgainst(initialParams);
    bases =
        new BaseTracker(
            chain,
            this::view,
            verified,
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

  /**
   * The canonical bytes of an update this validator verified, by its committed hash, for the
   * re-serving route (does not block on the tick).
   */
  public Optional<byte[]> verifiedDelta(Bytes32 hash) {
    return verified.encoded(hash);
  }

  /**
   * Whether the signer is a miner (any stage) of the current or previous round or a validator of
   * the current round: who may fetch re-served updates. Refreshed at each tick of a new round; does
   * not block.
   */
  public boolean knownParty(Address signer) {
    return parties.contains(signer);
  }

  private void refreshParties(long current) {
    if (current == partiesRound) {
      return;
    }
    Set<Address> known = new HashSet<>();
    int stages = chain.runs().spec().stageCount();
    for (long r = Math.max(0, current - 1); r <= current; r++) {
      for (int s = 0; s < stages; s++) {
        chain.runs().minersAt(s, r).forEach(m -> known.add(Address.fromHex(m)));
      }
    }
    chain.runs().validatorsAt(current).forEach(v -> known.add(Address.fromHex(v)));
    parties = Set.copyOf(known);
    partiesRound = current;
  }

  /** Does everything due at the current block. */
  public synchronized void tick() {
    refreshParties(chain.runs().currentRound());
    long head = chain.blockNumber();
    scanEvents(head);
    rounds.checkRounds(head);
    head = chain.blockNumber();
    jury.act(head, rounds::due);
    if (config.claim()) {
      settlement.settle(head);
    }
    checks.prepare(chain.runs().currentRound());
  }

  private void scanEvents(long head) {
    if (head < eventsFrom) {
      return;
    }
    for (ChainEvent e : events.poll(eventsFrom, head)) {
      if (e instanceof ChainEvent.ChallengeOpened o && o.runId() == runId) {
        jury.opened(o);
      } else if (e instanceof ChainEvent.JuryDrawn d) {
        jury.drawn(d);
      } else if (e instanceof ChainEvent.ChallengeResolved r) {
        jury.resolved(r);
      }
    }
    eventsFrom = head + 1;
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
   * Whether the run is paused or halted and, once halted, whether this validator has done all it
   * owes for the rounds before the halt (checks, jury duties, finalize and claims, payments).
   */
  public synchronized RunStatus runStatus() {
    RunInfo run = chain.runs().info();
    long haltedFrom = run.haltedFromRound();
    boolean settled =
        run.halted()
            && rounds.next() >= haltedFrom
            && !rounds.attesting()
            && jury.idle()
            && (!config.claim()
                || (settlement.next() >= haltedFrom && settlement.owed().signum() == 0));
    return new RunStatus(run.paused(), run.halted(), haltedFrom, settled);
  }

  /** What {@link #close} closes after the service's own threads ({@link ValidatorAssembly}). */
  void closing(Opened resources) {
    this.resources = resources;
  }

  @Override
  public void close() {
    rounds.close();
    resources.close();
  }
}
