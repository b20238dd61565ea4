package io.protolearn.validator.node;

import static io.protolearn.testing.Hashes.h;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.contracts.RunManager;
import io.protolearn.chain.deploy.RunConfig;
import io.protolearn.chain.local.AnvilNode;
import io.protolearn.chain.local.LocalChain;
import io.protolearn.node.artifact.ArtifactClient;
import io.protolearn.node.http.RequestSigner;
import io.protolearn.node.metrics.Metrics;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.protocol.round.RoundClock;
import io.protolearn.training.data.Corpus;
import io.protolearn.training.lane.InMemoryLaneTransport;
import io.protolearn.training.lane.OuterStep;
import io.protolearn.training.lane.RoundRunner;
import io.protolearn.training.lane.StageRoundResult;
import io.protolearn.training.lane.StepSink;
import io.protolearn.training.model.ParamLayout;
import io.protolearn.training.model.StageState;
import io.protolearn.training.model.StageTrainer;
import io.protolearn.training.spec.DataSpec;
import io.protolearn.training.spec.ModelSpec;
import io.protolearn.training.spec.TrainSpec;
import io.protolearn.training.verify.RecomputeVerifier;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A local chain with one two-stage run (every step sampled), two miners whose lane is trained
 * in-process by the training core and served by {@link FakeMiner}s, and N staked validators whose
 * {@link ValidatorService}s the tests build and tick.
 */
final class ValidatorFixture implements AutoCloseable {
  static final ModelSpec MODEL = new ModelSpec(256, 32, 2, 2, 16, 64, List.of(1, 1));
  static final TrainSpec TRAIN = TrainSpec.DEFAULT.withSchedule(4, 2, 2);
  static final Corpus CORPUS = Corpus.bundled(1000);
  static final DataSpec DATA = CORPUS.dataSpec(MODEL.contextLength(), 1000);
  static final BigInteger ETHER = BigInteger.TEN.pow(18);
  static final BigInteger STAKE = ETHER.multiply(BigInteger.TWO);

  final LocalChain chain;
  final ProtocolClient deployer;
  final List<ProtocolClient> miners = new ArrayList<>();
  final List<ProtocolClient> validators = new ArrayList<>();
  final List<FakeMiner> servers = new ArrayList<>();
  final TensorMessage.Domain domain;
  final long runId;
  private final Vertx vertx = Vertx.vertx();
  private final RoundRunner runner;
  private final List<StageTrainer> trainers = new ArrayList<>();
  private final List<RecomputeVerifier> verifiers = new ArrayList<>();
  private final Path dir;
  private final List<Secp256k1.KeyPair> laneKeys = new ArrayList<>();

  ValidatorFixture(Path dir, int validatorCount) throws Exception {
    this(dir, validatorCount, false, Math.min(3, validatorCount - 1));
  }

  /**
   * @param realSpecs register the run with the hashes of {@link #MODEL}, {@link #DATA}, {@link
   *     #TRAIN} (what {@code validator run --specs} checks) instead of placeholders
   */
  ValidatorFixture(Path dir, int validatorCount, boolean realSpecs, int jurorCount)
      throws Exception {
    this.dir = dir;
    RunManager.Params d = RunConfig.devnetParams();
    RunManager.Params p =
        new RunManager.Params(
            d.minMinerStake,
            d.minValidatorStake,
            BigInteger.valueOf(10_000), // every step sampled: tests are deterministic
            d.slashBps,
            d.challengeBond,
            BigInteger.valueOf(jurorCount),
            d.jurorBond,
            BigInteger.valueOf(10),
            BigInteger.valueOf(40),
            BigInteger.valueOf(40),
            d.sharesPerRound,
            d.validatorShareBps,
            BigInteger.valueOf(300));
    RunConfig config =
        (realSpecs
                ? RunConfig.devnet(
                    MODEL.hash(),
                    DATA.hash(),
                    TRAIN.hash(),
                    Bytes32.fromHex(DATA.dataRoot()),
                    h("init"),
                    2,
                    16)
                : RunConfig.devnet(h("model"), h("data"), h("train"), h("root"), h("init"), 2, 16))
            .withParams(p)
            .withStartDelay(40);
    chain = LocalChain.start(AnvilNode.Options.forTests(), config);
    runId = chain.deployment().runId();
    deployer = client(0);
    domain =
        new TensorMessage.Domain(
            chain.deployment().chainId(), Address.fromHex(deployer.disputes().address()));
    for (int s = 0; s < 2; s++) {
      ProtocolClient m = client(1 + s);
      FakeMiner server = new FakeMiner(vertx, runId, domain, Address.fromHex(m.address()));
      int port = server.start();
      servers.add(server);
      m.staking().stake(STAKE);
      m.runs().joinAsMiner(s, "http://127.0.0.1:" + port);
      miners.add(m);
      laneKeys.add(key(1 + s));
    }
    for (int i = 0; i < validatorCount; i++) {
      ProtocolClient v = client(3 + i);
      v.staking().stake(STAKE);
      v.runs().registerValidator("http://127.0.0.1:" + (9100 + i));
      validators.add(v);
    }
    runner =
        new RoundRunner(
            MODEL,
            TRAIN,
            CORPUS,
            runId,
            domain,
            List.of(laneKeys),
            new InMemoryLaneTransport(),
            StepSink.NONE);
    for (int s = 0; s < 2; s++) {
      StageTrainer t = new StageTrainer(MODEL, TRAIN, s);
      trainers.add(t);
      verifiers.add(new RecomputeVerifier(t, TRAIN, CORPUS));
    }
  }

  ProtocolClient client(int account) {
    return ProtocolClient.connect(
        chain.deployment(), chain.account(account), Duration.ofMillis(20));
  }

  Secp256k1.KeyPair key(int account) {
    return Secp256k1.fromPrivateKey(chain.account(account).getEcKeyPair().getPrivateKey());
  }

  RoundClock clock(long round) {
    return deployer.runs().clock(round);
  }

  /** Trains the lane's round, lets {@code tamper} rewrite it, commits every stage and serves it. */
  List<StageRoundResult> trainAndCommit(long round, UnaryOperator<List<StageRoundResult>> tamper) {
    mineToStart(round);
    return commitAndServe(round, tamper.apply(runner.runRound(round, Set.of()).lanes().get(0)));
  }

  /**
   * Trains the lane's round from the round-0 bases, as miners who skip every outer step would
   * (their steps recompute and their leaves link; only the base is wrong), commits and serves it.
   */
  List<StageRoundResult> trainStaleAndCommit(long round) {
    mineToStart(round);
    try (RoundRunner stale =
        new RoundRunner(
            MODEL,
            TRAIN,
            CORPUS,
            runId,
            domain,
            List.of(laneKeys),
            new InMemoryLaneTransport(),
            StepSink.NONE)) {
      return commitAndServe(round, stale.runRound(round, Set.of()).lanes().get(0));
    }
  }

  private void mineToStart(long round) {
    long start = clock(round).start();
    if (chain.blockNumber() < start) {
      chain.mineTo(start);
    }
  }

  private List<StageRoundResult> commitAndServe(long round, List<StageRoundResult> lane) {
    for (int s = 0; s < lane.size(); s++) {
      StageRoundResult r = lane.get(s);
      miners
          .get(s)
          .runs()
          .commit(round, new Commitment(r.root(), r.stepCount(), r.deltaHash(), r.baseHash()));
      servers.get(s).serve(round, lane, s);
    }
    return lane;
  }

  /** The lane with stage {@code stage}'s leaf {@code step} rewritten (and its tree rebuilt). */
  static List<StageRoundResult> withLeaf(
      List<StageRoundResult> lane, int stage, int step, UnaryOperator<StepLeaf> change) {
    StageRoundResult r = lane.get(stage);
    List<StepLeaf> leaves = new ArrayList<>(r.tree().leaves());
    leaves.set(step, change.apply(leaves.get(step)));
    StageRoundResult forged =
        new StageRoundResult(
            r.stage(),
            r.lane(),
            r.miner(),
            RoundTree.of(leaves),
            r.end(),
            r.delta(),
            r.deltaHash(),
            r.baseHash(),
            r.artifacts(),
            r.meanLoss());
    List<StageRoundResult> out = new ArrayList<>(lane);
    out.set(stage, forged);
    return out;
  }

  static StepLeaf withParamGrad(StepLeaf l, Bytes32 h) {
    return new StepLeaf(
        l.runId(),
        l.round(),
        l.miner(),
        l.stage(),
        l.lane(),
        l.step(),
        l.paramsBeforeHash(),
        l.optStateBeforeHash(),
        l.inputHash(),
        l.upstreamGradHash(),
        l.outputHash(),
        l.inputGradHash(),
        h,
        l.paramsAfterHash());
  }

  static StepLeaf withOutput(StepLeaf l, Bytes32 h) {
    return new StepLeaf(
        l.runId(),
        l.round(),
        l.miner(),
        l.stage(),
        l.lane(),
        l.step(),
        l.paramsBeforeHash(),
        l.optStateBeforeHash(),
        l.inputHash(),
        l.upstreamGradHash(),
        h,
        l.inputGradHash(),
        l.paramGradHash(),
        l.paramsAfterHash());
  }

  ValidatorService validator(int i, ValidatorService.CrashPoints crash) {
    return validator(i, crash, ValidatorConfig.DEFAULT.withFetchTimeout(Duration.ofSeconds(3)));
  }

  ValidatorService validator(int i, ValidatorService.CrashPoints crash, ValidatorConfig config) {
    ArtifactClient client =
        new ArtifactClient(
            vertx,
            new RequestSigner(key(3 + i), domain.chainId()),
            config.fetchTimeout(),
            config.maxLeafBytes(),
            config.maxEvidenceBytes());
    StepChecker checker = new StepChecker(client, verifiers::get, domain);
    ValidatorService service =
        new ValidatorService(
            validators.get(i),
            checker,
            new MarkerStore(dir.resolve("validator-" + i)),
            config,
            new ValidatorMetrics(new Metrics()),
            crash);
    service.checkAggregation(
        s -> StageState.initialParams(ParamLayout.of(MODEL, s), TRAIN.seed()),
        new OuterStep(TRAIN));
    return service;
  }

  @Override
  public void close() {
    servers.forEach(FakeMiner::close);
    runner.close();
    trainers.forEach(StageTrainer::close);
    vertx.close();
    miners.forEach(ProtocolClient::close);
    validators.forEach(ProtocolClient::close);
    deployer.close();
    chain.close();
  }
}
