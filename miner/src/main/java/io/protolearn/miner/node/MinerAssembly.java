package io.protolearn.miner.node;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.client.RunClient;
import io.protolearn.chain.events.ChainEvent;
import io.protolearn.chain.events.EventFeed;
import io.protolearn.chain.model.Member;
import io.protolearn.chain.model.RunSpec;
import io.protolearn.cli.UserException;
import io.protolearn.node.artifact.ArtifactClient;
import io.protolearn.node.http.HttpConfig;
import io.protolearn.node.http.NodeHttpService;
import io.protolearn.node.http.Readiness;
import io.protolearn.node.http.RequestSignature;
import io.protolearn.node.http.RequestSigner;
import io.protolearn.node.http.SignatureVerifier;
import io.protolearn.node.http.SignedHttpClient;
import io.protolearn.node.lifecycle.Opened;
import io.protolearn.node.metrics.Metrics;
import io.protolearn.node.store.StepStore;
import io.protolearn.node.store.StoreConfig;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.round.RoundClock;
import io.protolearn.training.data.Corpus;
import io.protolearn.training.lane.LaneInbox;
import io.protolearn.training.lane.StageRunner;
import io.protolearn.training.model.StageTrainer;
import io.protolearn.training.model.TrainingEngine;
import io.protolearn.training.spec.RunSpecs;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one place a miner node is put together (the miner's counterpart of the validator's {@code
 * ValidatorAssembly}): checks that the account is a miner of the run and that this process knows
 * the run's specs and matches its reproducibility profile, then wires the journal, step store,
 * trainer, lane planner, base aggregator, HTTP routes and claims into a started {@link MinerNode}.
 * An {@link Adversary} is injected here only: it picks the step strategy, the commitment choice and
 * what the artifact service and aggregator do, so the node itself has no adversary flags.
 */
public final class MinerAssembly {
  private final ProtocolClient client;
  private final Secp256k1.KeyPair key;
  private final MinerNode.Config config;
  private final PrintWriter out;
  private Adversary adversary = Adversary.HONEST;
  private Metrics metrics = new Metrics();

  public MinerAssembly(
      ProtocolClient client, Secp256k1.KeyPair key, MinerNode.Config config, PrintWriter out) {
    this.client = client;
    this.key = key;
    this.config = config;
    this.out = out;
  }

  /** One behaviour swapped for a dishonest one (devnet demo, tests). */
  public MinerAssembly adversary(Adversary adversary) {
    this.adversary = adversary;
    return this;
  }

  /** The registry the node counts in, which the caller serves ({@code --metrics-port}). */
  public MinerAssembly metrics(Metrics metrics) {
    this.metrics = metrics;
    return this;
  }

  /** Sets the node up and starts its HTTP service and block watcher. */
  public MinerNode build() {
    return Opened.building(this::build);
  }

  private MinerNode build(Opened opened) {
    RunClient runs = client.runs();
    Address me = key.address();
    RunSpecs specs = specsOf(runs);
    Member member = runs.memberOf(me.toHex());
    if (!member.isMiner()) {
      throw new UserException(
          me.toChecksumHex() + " is not a miner of run " + runs.runId() + " (run `miner join`)");
    }
    int stage = member.stage();
    TrainingEngine.ProfileCheck check = TrainingEngine.start(specs.train().profile());
    if (!check.matches()) {
      throw new UserException(
          "this process does not match the run's reproducibility profile: " + check.mismatches());
    }
    TensorMessage.Domain domain =
        new TensorMessage.Domain(
            client.deployment().chainId(),
            Address.fromHex(client.deployment().contracts().disputeManager()));
    // requests to this node must be signed for it on this chain (DESIGN §13 v2)
    RequestSignature.Audience audience = new RequestSignature.Audience(domain.chainId(), me);
    Progress progress = new Progress(out, config.terminal());
    MinerMetrics minerMetrics = new MinerMetrics(metrics);
    ChainHead head = new ChainHead(client);
    LiveRound live = new LiveRound();
    PartyCache parties = new PartyCache();
    LaneInbox inbox = new LaneInbox();
    RoundJournal journal = new RoundJournal(config.dataDir());
    StepStore store =
        opened.add(
            StepStore.open(
                config.dataDir().resolve("store"), new StoreConfig(config.retentionRounds())));
    StageTrainer trainer = opened.add(new StageTrainer(specs.model(), specs.train(), stage));
    StageRunner runner =
        new StageRunner(
            trainer,
            stage,
            specs.train(),
            Corpus.forSpec(specs.data()),
            key,
            new StoreStepSink(store),
            adversary);
    Vertx vertx = Vertx.vertx();
    opened.onClose(vertx::close);
    SignedHttpClient signed = new SignedHttpClient(vertx, new RequestSigner(key, domain.chainId()));
    LanePlanner planner = new LanePlanner(runs, me);
    BaseAggregator aggregator =
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
            head::block,
            head::stopping,
            adversary,
            committedHashes(client));
    MinerClaims claims = new MinerClaims(runs, journal, me, config.retentionRounds());
    CommitmentChoice commitments =
        adversary.copiesCommitment()
            ? new CopycatCommitment(client, me, head::block, head::stopping, config.poll())
            : CommitmentChoice.OWN;
    int k = stepsPerRound(runs, specs);
    MinerRoutes routes =
        new MinerRoutes(
            vertx,
            new MinerRoutes.Context(
                runs.runId(),
                stage,
                specs,
                domain,
                live::training,
                live::current,
                config.retentionRounds(),
                k),
            SignatureVerifier.anySigner( // who may send a tensor depends on the message's lane
                Clock.systemUTC(),
                SignatureVerifier.Config.DEFAULT,
                audience,
                parties::known, // run members keep room against a flood of fresh keys
                metrics),
            new SignatureVerifier(
                Clock.systemUTC(),
                SignatureVerifier.Config.DEFAULT,
                audience,
                parties::known,
                "a validator or stage peer of a round this miner retains",
                metrics),
            inbox,
            parties,
            new ArtifactService(
                runs.runId(),
                store,
                journal,
                domain,
                adversary,
                (r, c) -> runs.commitmentMatches(r, me.toHex(), c)),
            minerMetrics);
    NodeHttpService http = startHttp(vertx, routes, member.endpoint());
    opened.onClose(() -> stopHttp(http));
    head.watch();
    opened.onClose(head::stop);
    RoundTrainer rounds =
        new RoundTrainer(
            new RoundTrainer.Parts(
                runs,
                stage,
                me,
                domain,
                journal,
                planner,
                aggregator,
                runner,
                inbox,
                new PeerClient(signed),
                parties,
                live,
                head,
                commitments,
                new RoundCommitter(runs, journal, me, head::block, minerMetrics, progress::line),
                claims,
                minerMetrics,
                progress,
                () -> stepsPerRound(runs, specs)),
            config);
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
    return new MinerNode(
        runs, config, progress, head, live, rounds, claims, store, parties, http.port(), opened);
  }

  private RunSpecs specsOf(RunClient runs) {
    RunSpec spec = runs.spec();
    return RunSpecs.matching(
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
  }

  private int stepsPerRound(RunClient runs, RunSpecs specs) {
    long k = Math.min(specs.train().innerSteps(), runs.spec().maxStepsPerRound());
    if (config.maxSteps() > 0) {
      k = Math.min(k, config.maxSteps());
    }
    return (int) k;
  }

  private NodeHttpService startHttp(Vertx vertx, MinerRoutes routes, String endpoint) {
    int port = config.port() >= 0 ? config.port() : portOf(endpoint);
    NodeHttpService http =
        new NodeHttpService(
            vertx,
            HttpConfig.builder().host(config.host()).port(port).build(),
            metrics,
            Readiness.ALWAYS,
            List.of(routes));
    try {
      http.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new UserException("cannot listen on " + config.host() + ":" + port + ": " + e);
    }
    return http;
  }

  private static void stopHttp(NodeHttpService http) {
    try {
      http.stop().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger(MinerAssembly.class)
          .debug("stopping HTTP: {}", e.toString());
    }
  }

  /**
   * The deltaHash a miner committed in a round, read from the round's Committed events (the chain,
   * not the miner: what a validator re-serves is checked against it).
   */
  private static BaseAggregator.CommittedHashes committedHashes(ProtocolClient client) {
    EventFeed events = new EventFeed(client.web3j(), List.of(client.runs().address()));
    return (round, miner) -> {
      RoundClock clock = client.runs().clock(round);
      return events.poll(clock.start(), clock.commitDeadline()).stream()
          .filter(e -> e instanceof ChainEvent.Committed)
          .map(e -> (ChainEvent.Committed) e)
          .filter(c -> c.runId() == client.runs().runId() && c.round() == round)
          .filter(c -> Address.fromHex(c.miner()).equals(miner))
          .map(c -> c.commitment().deltaHash())
          .findFirst();
    };
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
}
