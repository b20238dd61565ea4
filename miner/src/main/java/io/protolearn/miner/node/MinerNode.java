package io.protolearn.miner.node;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.client.RunClient;
import io.protolearn.chain.model.CommitmentInfo;
import io.protolearn.chain.model.Member;
import io.protolearn.chain.model.RunInfo;
import io.protolearn.chain.model.RunSpec;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.chain.tx.TxSender;
import io.protolearn.cli.Ether;
import io.protolearn.cli.UserException;
import io.protolearn.node.artifact.ArtifactClient;
import io.protolearn.node.http.HttpConfig;
import io.protolearn.node.http.NodeHttpService;
import io.protolearn.node.http.Readiness;
import io.protolearn.node.http.RequestSigner;
import io.protolearn.node.http.SignatureVerifier;
import io.protolearn.node.http.SignedHttpClient;
import io.protolearn.node.metrics.Metrics;
import io.protolearn.node.store.StepStore;
import io.protolearn.node.store.StoreConfig;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.round.RoundClock;
import io.protolearn.training.data.Corpus;
import io.protolearn.training.lane.LaneInbox;
import io.protolearn.training.lane.OuterStep.OuterState;
import io.protolearn.training.lane.RoundContext;
import io.protolearn.training.lane.StageRunner;
import io.protolearn.training.model.StageTrainer;
import io.protolearn.training.model.TrainingEngine;
import io.protolearn.training.spec.RunSpecs;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The miner node (issue 4): follows the run's round clock, forms lanes, trains its stage's K steps
 * with its lane peers over HTTP, commits, serves artifacts, aggregates the next base from the
 * accepted lanes' deltas after finalization, and claims shares.
 *
 * <p>Lanes come from {@link LanePlanner}, bases from {@link BaseAggregator}, the steps from {@link
 * StageRunner}; crash safety from the {@link RoundJournal} (see docs/MINER.md).
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

  private final ProtocolClient client;
  private final RunClient runs;
  private final Secp256k1.KeyPair key;
  private final Address me;
  private final Config config;
  private final Progress progress;
  private final Metrics metricsRegistry;
  private final MinerMetrics metrics;
  private final LaneInbox inbox = new LaneInbox();
  private final PartyCache parties = new PartyCache();
  private final AtomicLong latestBlock = new AtomicLong();
  private final AtomicLong currentRound = new AtomicLong();
  private final Set<Long> claimedRounds = new HashSet<>();
  private volatile RoundPlan trainingPlan;

  private RunSpecs specs;
  private int stage;
  private TensorMessage.Domain domain;
  private RoundJournal journal;
  private StepStore store;
  private StageTrainer trainer;
  private StageRunner runner;
  private Corpus corpus;
  private LanePlanner planner;
  private BaseAggregator aggregator;
  private Vertx vertx;
  private NodeHttpService http;
  private PeerClient peers;
  private volatile boolean stopping;
  private final Adversary adversary;

  public MinerNode(ProtocolClient client, Secp256k1.KeyPair key, Config config, PrintWriter out) {
    this(client, key, config, out, Adversary.HONEST);
  }

  /** A node with one behaviour swapped for a dishonest one (devnet demo, tests). */
  public MinerNode(
      ProtocolClient client,
      Secp256k1.KeyPair key,
      Config config,
      PrintWriter out,
      Adversary adversary) {
    this(client, key, config, out, adversary, new Metrics());
  }

  /** A node counting in {@code metrics}, which its caller serves ({@code --metrics-port}). */
  public MinerNode(
      ProtocolClient client,
      Secp256k1.KeyPair key,
      Config config,
      PrintWriter out,
      Adversary adversary,
      Metrics metrics) {
    this.metricsRegistry = metrics;
    this.metrics = new MinerMetrics(metrics);
    this.adversary = adversary;
    this.client = client;
    this.runs = client.runs();
    this.key = key;
    this.me = key.address();
    this.config = config;
    this.progress = new Progress(out, config.terminal());
  }

  /**
   * Sets the node up and runs it until the run halts, {@code untilRound} passes or it is closed.
   */
  public int run() {
    start();
    try {
      return loop();
    } finally {
      close();
    }
  }

  private void start() {
    RunSpec spec = runs.spec();
    specs =
        RunSpecs.matching(
                spec.modelSpecHash(),
                spec.dataSpecHash(),
                spec.trainSpecHash(),
                spec.initialCheckpointHash())
            .orElseThrow(
                () ->
                    new UserException(
                        "this miner does not know the specs of run "
                            + runs.runId()
                            + " (model spec hash "
                            + spec.modelSpecHash().toHex()
                            + ")"));
    Member member = runs.memberOf(me.toHex());
    if (!member.isMiner()) {
      throw new UserException(
          me.toChecksumHex() + " is not a miner of run " + runs.runId() + " (run `miner join`)");
    }
    stage = member.stage();
    TrainingEngine.ProfileCheck check = TrainingEngine.start(specs.train().profile());
    if (!check.matches()) {
      throw new UserException(
          "this process does not match the run's reproducibility profile: " + check.mismatches());
    }
    domain =
        new TensorMessage.Domain(
            client.deployment().chainId(),
            Address.fromHex(client.deployment().contracts().disputeManager()));
    journal = new RoundJournal(config.dataDir());
    store =
        StepStore.open(
            config.dataDir().resolve("store"), new StoreConfig(config.retentionRounds()));
    trainer = new StageTrainer(specs.model(), specs.train(), stage);
    corpus = Corpus.forSpec(specs.data());
    runner =
        new StageRunner(
            trainer, stage, specs.train(), corpus, key, new StoreStepSink(store), adversary);
    vertx = Vertx.vertx();
    SignedHttpClient signed = new SignedHttpClient(vertx, new RequestSigner(key));
    peers = new PeerClient(signed);
    planner = new LanePlanner(runs, specs.stages(), me);
    aggregator =
        new BaseAggregator(
            runs,
            planner,
            journal,
            new ArtifactClient(
                signed,
                config.peerTimeout(),
                ArtifactClient.DEFAULT_MAX_LEAF_BYTES,
                ArtifactClient.DEFAULT_MAX_PAYLOAD_BYTES),
            specs,
            stage,
            me,
            config.peerTimeout(),
            config.poll(),
            latestBlock::get,
            () -> stopping,
            adversary);
    startHttp(member.endpoint());
    refreshBlock();
    Thread watcher = new Thread(this::watchBlocks, "block-watcher");
    watcher.setDaemon(true);
    watcher.start();
    progress.line(
        String.format(
            "miner %s: run %d, stage %d of %d, listening on %s:%d, data in %s",
            me.toChecksumHex(),
            runs.runId(),
            stage,
            specs.stages(),
            config.host(),
            http.port(),
            config.dataDir()));
    if (adversary != Adversary.HONEST) {
      progress.line("adversary: " + adversary.kind() + " (a devnet test participant)");
    }
  }

  private void startHttp(String endpoint) {
    int port = config.port() >= 0 ? config.port() : portOf(endpoint);
    SignatureVerifier.Config sc = SignatureVerifier.Config.DEFAULT;
    // who may send a tensor depends on the message's round and lane: the route checks it
    SignatureVerifier laneVerifier =
        SignatureVerifier.anySigner(Clock.systemUTC(), sc, metricsRegistry);
    SignatureVerifier artifactVerifier =
        new SignatureVerifier(
            Clock.systemUTC(),
            sc,
            parties::known,
            "a validator or stage peer of a round this miner retains",
            metricsRegistry);
    int k = stepsPerRound();
    MinerRoutes routes =
        new MinerRoutes(
            vertx,
            new MinerRoutes.Context(
                runs.runId(),
                stage,
                specs,
                domain,
                () -> Optional.ofNullable(trainingPlan),
                currentRound::get,
                config.retentionRounds(),
                k),
            laneVerifier,
            artifactVerifier,
            inbox,
            parties,
            new ArtifactService(runs.runId(), store, journal, domain, adversary.servesValidators()),
            metrics);
    Readiness ready = () -> specs == null ? Optional.of("starting") : Optional.empty();
    http =
        new NodeHttpService(
            vertx,
            HttpConfig.builder().host(config.host()).port(port).build(),
            metricsRegistry,
            ready,
            List.of(routes));
    try {
      http.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new UserException("cannot listen on " + config.host() + ":" + port + ": " + e);
    }
  }

  private static int portOf(String endpoint) {
    try {
      int p = java.net.URI.create(endpoint).getPort();
      if (p < 0) {
        throw new IllegalArgumentException();
      }
      return p;
    } catch (IllegalArgumentException e) {
      throw new UserException(
          "cannot tell the port to listen on from the endpoint " + endpoint + "; give --port");
    }
  }

  private int stepsPerRound() {
    long max = runs.spec().maxStepsPerRound();
    long k = Math.min(specs.train().innerSteps(), max);
    if (config.maxSteps() > 0) {
      k = Math.min(k, config.maxSteps());
    }
    return (int) k;
  }

  // ---- the loop ----

  private int loop() {
    long handled = -1;
    boolean pausedSaid = false;
    while (!stopping) {
      RunInfo info = runs.info();
      if (info.halted()) {
        return stopAfterHalt(info.haltedFromRound());
      }
      if (info.paused()) {
        if (!pausedSaid) {
          progress.line("run " + runs.runId() + " is paused; idling until it resumes");
          pausedSaid = true;
        }
        sleep(config.poll());
        continue;
      }
      pausedSaid = false;
      long r = runs.currentRound();
      RoundClock clock = runs.clock(r);
      if (latestBlock.get() >= clock.start() && r != handled) {
        currentRound.set(r);
        handleRound(r, clock);
        handled = r;
        claimFinalized(r);
        store.prune(runs.runId(), r);
        parties.forgetBefore(r - config.retentionRounds() + 1);
      }
      if (config.untilRound() >= 0 && handled >= config.untilRound()) {
        return 0;
      }
      sleep(config.poll());
    }
    return 0;
  }

  /**
   * DESIGN §8: a halted run takes no more commits but still pays for finalized work. Claims every
   * round before the halt this miner committed (finalizing it when due), then stops with one line.
   */
  private int stopAfterHalt(long haltedFrom) {
    progress.line(
        "run " + runs.runId() + " is halted from round " + haltedFrom + "; claiming what is owed");
    HaltSettlement settlement = new HaltSettlement(runs, journal, me, config.retentionRounds());
    List<Long> owed = settlement.settle(haltedFrom, latestBlock.get(), progress::line);
    while (!owed.isEmpty() && !stopping) {
      sleep(config.poll());
      owed = settlement.settle(haltedFrom, latestBlock.get(), progress::line);
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

  private void handleRound(long r, RoundClock clock) {
    refreshParties(r);
    if (!runs.minersAt(stage, r).stream().map(Address::fromHex).toList().contains(me)) {
      LOG.info("not a miner of stage {} in round {}", stage, r);
      return;
    }
    Optional<RoundJournal.Trained> done = journal.trained(r);
    if (done.isPresent()) {
      progress.line(
          "round "
              + r
              + ": trained before a restart; commit "
              + ensureCommitted(r, done.get(), clock));
      return;
    }
    if (journal.started(r)) {
      progress.line("round " + r + ": interrupted by a restart; not training it a second time");
      return;
    }
    long deadline = clock.commitDeadline() - config.deadlineMarginBlocks();
    Optional<OuterState> base = aggregator.baseFor(r, deadline);
    if (base.isEmpty()) {
      progress.line("round " + r + ": the base is not known (previous round not final); skipped");
      return;
    }
    Optional<RoundPlan> plan = planner.plan(r);
    if (plan.isEmpty()) {
      progress.line("round " + r + ": standby (more miners of this stage than lanes)");
      return;
    }
    if (latestBlock.get() >= deadline) {
      progress.line("round " + r + ": too close to the commit deadline to train; skipped");
      return;
    }
    train(plan.get(), base.get(), clock, deadline);
  }

  private void train(RoundPlan plan, OuterState base, RoundClock clock, long deadline) {
    long r = plan.round();
    journal.markStarted(r);
    inbox.startRound(r);
    trainingPlan = plan;
    progress.startRound(r);
    int k = stepsPerRound();
    HttpLaneLink link =
        new HttpLaneLink(
            peers, inbox, plan, config.peerTimeout(), () -> latestBlock.get() >= deadline, metrics);
    metrics.stepsStarted();
    StageRunner.Result result =
        runner.run(
            new RoundContext(plan.runId(), r, domain),
            plan.lane(),
            plan.members(),
            base.params(),
            k,
            link,
            (step, of, loss) -> {
              metrics.step();
              progress.stepDone(step, of, loss);
            });
    if (result.stepCount() == 0) {
      progress.line(
          "round "
              + r
              + " | lane "
              + plan.lane()
              + " | no step completed: "
              + result.failure().orElse("?"));
      return;
    }
    RoundJournal.Trained t =
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
    if (adversary.copiesCommitment()) {
      t =
          new CopycatCommitment(client)
              .copy(
                  t, me, clock.start(), deadline, latestBlock::get, () -> stopping, config.poll());
    }
    journal.markTrained(t, result.delta());
    metrics.roundTrained(r, result.meanLoss());
    String commit = ensureCommitted(r, t, clock);
    BigInteger claimable = claimableTotal(r);
    progress.line(
        String.format(
            "round %d | lane %d stage %d | loss %s | steps %d/%d | commit %s | shares claimable %s",
            r,
            plan.lane(),
            plan.stage(),
            Double.isNaN(result.meanLoss()) ? "-" : String.format("%.4f", result.meanLoss()),
            result.stepCount(),
            k,
            commit,
            Ether.format(claimable)));
  }

  /** Sends the round's commit unless the journal or the chain says it is done; a description. */
  private String ensureCommitted(long r, RoundJournal.Trained t, RoundClock clock) {
    if (journal.committed(r)) {
      return "done before";
    }
    if (runs.commitmentOf(r, me.toHex()).committed()) {
      journal.markCommitted(r, "found on chain");
      return "found on chain";
    }
    Optional<TxSender.SignedTx> signedBefore = journal.commitSigned(r);
    if (signedBefore.isEmpty() && latestBlock.get() > clock.commitDeadline()) {
      LOG.warn("round {}: the commit window closed before the commit was sent", r);
      return "missed (window closed)";
    }
    long t0 = System.nanoTime();
    try {
      TxSender.SignedTx signed;
      if (signedBefore.isPresent()) {
        // sent, perhaps, before a crash: the same bytes again, never a second commit
        signed = signedBefore.get();
        progress.line(
            "round "
                + r
                + ": commit signed before a restart; sending it again ("
                + signed.hash()
                + ")");
      } else {
        signed = runs.signCommit(r, t.commitment());
        journal.markCommitSigned(r, signed);
      }
      TransactionReceipt receipt;
      try {
        receipt = runs.submit(signed);
      } catch (TxSender.NonceTakenException stale) {
        // signed before a crash but never sent; the restarted node used its nonce since
        LOG.info("round {}: {}; signing the commit again", r, stale.getMessage());
        signed = runs.signCommit(r, t.commitment());
        journal.markCommitSigned(r, signed);
        receipt = runs.submit(signed);
      }
      metrics.committed((System.nanoTime() - t0) / 1e9);
      journal.markCommitted(r, receipt.getTransactionHash());
      return receipt.getTransactionHash() + " (block " + receipt.getBlockNumber() + ")";
    } catch (ProtocolRevertException e) {
      LOG.warn("round {}: commit refused: {}", r, e.getMessage());
      return "refused: " + e.getMessage();
    }
  }

  // ---- parties, claims ----

  private void refreshParties(long r) {
    for (long q = Math.max(0, r - config.retentionRounds() + 1); q <= r; q++) {
      Set<Address> validators = new HashSet<>();
      runs.validatorsAt(q).forEach(v -> validators.add(Address.fromHex(v)));
      Set<Address> miners = new HashSet<>();
      runs.minersAt(stage, q).forEach(m -> miners.add(Address.fromHex(m)));
      parties.put(q, validators, miners);
    }
  }

  private BigInteger claimableTotal(long r) {
    BigInteger total = BigInteger.ZERO;
    for (long q = Math.max(0, r - config.retentionRounds()); q < r; q++) {
      if (journal.committed(q) && !claimedRounds.contains(q)) {
        total = total.add(runs.claimable(q, me.toHex()));
      }
    }
    return total;
  }

  private void claimFinalized(long r) {
    for (long q = Math.max(0, r - config.retentionRounds()); q < r; q++) {
      if (!journal.committed(q) || claimedRounds.contains(q)) {
        continue;
      }
      CommitmentInfo ci = runs.commitmentOf(q, me.toHex());
      if (ci.claimed() || ci.convicted()) {
        claimedRounds.add(q);
        continue;
      }
      if (!runs.roundInfo(q).finalized()) {
        continue;
      }
      BigInteger amount = runs.claimable(q, me.toHex());
      try {
        var receipt = runs.claim(q);
        claimedRounds.add(q);
        progress.line(
            String.format(
                "claimed %s shares for round %d (tx %s)",
                Ether.format(amount), q, receipt.getTransactionHash()));
      } catch (ProtocolRevertException e) {
        LOG.warn("claim of round {} refused: {}", q, e.getMessage());
      }
    }
  }

  // ---- plumbing ----

  private void watchBlocks() {
    while (!stopping) {
      refreshBlock();
      sleep(Duration.ofMillis(250));
    }
  }

  private void refreshBlock() {
    try {
      latestBlock.set(client.blockNumber());
    } catch (RuntimeException e) {
      LOG.debug("block number: {}", e.toString());
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The HTTP port, once started. */
  public int port() {
    return http.port();
  }

  @Override
  public synchronized void close() {
    if (stopping) {
      return;
    }
    stopping = true;
    if (http != null) {
      try {
        http.stop().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.debug("stopping HTTP: {}", e.toString());
      }
    }
    if (vertx != null) {
      vertx.close();
    }
    if (trainer != null) {
      trainer.close();
    }
    if (store != null) {
      store.close();
    }
  }
}
