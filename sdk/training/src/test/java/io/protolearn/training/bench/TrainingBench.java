package io.protolearn.training.bench;

import io.protolearn.node.store.StepStore;
import io.protolearn.node.store.StoreConfig;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.testing.ChildJvm;
import io.protolearn.training.data.Batch;
import io.protolearn.training.data.Corpus;
import io.protolearn.training.lane.InMemoryLaneTransport;
import io.protolearn.training.lane.RoundRunner;
import io.protolearn.training.lane.StageRoundResult;
import io.protolearn.training.lane.StepSink;
import io.protolearn.training.model.ParamLayout;
import io.protolearn.training.model.StageState;
import io.protolearn.training.model.StageTrainer;
import io.protolearn.training.model.StepOutputs;
import io.protolearn.training.model.TrainingEngine;
import io.protolearn.training.spec.CanonicalJson;
import io.protolearn.training.spec.ModelSpec;
import io.protolearn.training.spec.ReproProfile;
import io.protolearn.training.spec.TrainSpec;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import io.protolearn.training.verify.EvidenceBuilder;
import io.protolearn.training.verify.EvidenceCodec;
import io.protolearn.training.verify.RecomputeVerifier;
import io.protolearn.training.verify.StepEvidence;
import io.protolearn.training.verify.VerificationResult;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The training benchmarks of docs/BENCHMARKS.md. Run from the repo root:
 *
 * <pre>
 * mvn -q -pl sdk/training test-compile exec:exec -Dbench.args="all"
 * </pre>
 *
 * with {@code bench.args} one of {@code step hash recompute tolerance loss all} (loss takes an
 * optional round count: {@code "loss 10"}). The exec configuration pins the CPU profile's
 * environment (OMP_NUM_THREADS=1, MKL_CBWR=COMPATIBLE,STRICT, ATEN_CPU_CAPABILITY=default).
 */
public final class TrainingBench {
  private static final long RUN_ID = 1;
  private static final TensorMessage.Domain DOMAIN =
      new TensorMessage.Domain(
          31337, Address.fromHex("0x5fbdb2315678afecb367f032d93f642f64180aa3"));

  private final ModelSpec model = ModelSpec.DEFAULT;
  private TrainSpec train = TrainSpec.DEFAULT;
  private final Corpus corpus = Corpus.bundled(1000);

  public static void main(String[] args) throws Exception {
    // exec passes bench.args as one argument
    args = String.join(" ", args).trim().split("\\s+");
    var check = TrainingEngine.start(ReproProfile.CPU_DEFAULT);
    String what = args.length > 0 ? args[0] : "all";
    TrainingBench bench = new TrainingBench();
    System.out.printf(
        "## profile %s, matches=%s; model %s (%d params), K=%d B=%d T=%d c=%d%n",
        check.actual(),
        check.matches(),
        CanonicalJson.toJson(bench.model),
        ParamLayout.totalSize(bench.model),
        bench.train.innerSteps(),
        bench.train.microBatch(),
        bench.model.contextLength(),
        bench.train.checkpointInterval());
    if (what.equals("step") || what.equals("all")) {
      bench.step();
    }
    if (what.equals("hash") || what.equals("all")) {
      bench.hash();
    }
    if (what.equals("recompute") || what.equals("all")) {
      bench.recompute();
    }
    if (what.equals("tolerance") || what.equals("all")) {
      bench.tolerance();
    }
    if (what.equals("loss") || what.equals("all")) {
      if (args.length > 3) {
        // "loss ROUNDS OUTER_LR OUTER_MOMENTUM [dilocoOnly]": outer-optimizer variants
        bench.train =
            bench.train.withOuter(Double.parseDouble(args[2]), Double.parseDouble(args[3]), true);
      }
      bench.loss(args.length > 1 ? Integer.parseInt(args[1]) : 10, args.length > 4);
    }
  }

  private static List<List<Secp256k1.KeyPair>> keys(int lanes, int stages) {
    List<List<Secp256k1.KeyPair>> keys = new ArrayList<>();
    for (int l = 0; l < lanes; l++) {
      List<Secp256k1.KeyPair> lane = new ArrayList<>();
      for (int s = 0; s < stages; s++) {
        lane.add(Secp256k1.fromPrivateKey(BigInteger.valueOf(1000 + l * stages + s)));
      }
      keys.add(lane);
    }
    return keys;
  }

  /** Bare DJL lane step vs the same step with hashing, leaves, signatures and RocksDB storage. */
  void step() throws Exception {
    Path dir = Files.createTempDirectory("bench-store");
    int k = train.innerSteps();
    List<Double> bare = new ArrayList<>();
    List<Double> protocol = new ArrayList<>();
    try (StepStore store = StepStore.open(dir, new StoreConfig(2));
        RoundRunner runner =
            new RoundRunner(
                model,
                train,
                corpus,
                RUN_ID,
                DOMAIN,
                keys(1, model.stages()),
                new InMemoryLaneTransport(),
                new RocksStepSink(store))) {
      List<StageTrainer> trainers = runner.trainers();
      List<StageState> states = new ArrayList<>();
      for (var b : runner.bases()) {
        states.add(StageState.fresh(b.params()));
      }
      bareSteps(trainers, states, 3);
      for (int rep = 0; rep < 5; rep++) {
        long t0 = System.nanoTime();
        bareSteps(trainers, states, k);
        bare.add((System.nanoTime() - t0) / 1e6 / k);
        t0 = System.nanoTime();
        runner.runRound(rep, Set.of());
        store.prune(RUN_ID, rep);
        protocol.add((System.nanoTime() - t0) / 1e6 / k);
      }
    }
    double b = median(bare);
    double p = median(protocol);
    System.out.printf(
        "STEP | bare lane step (S=2: fwd0, step1, step0) | %.1f ms | runs %s%n", b, fmt(bare));
    System.out.printf(
        "STEP | protocol lane step (+hashes, leaves, signed messages, RocksDB, seal, outer) | %.1f ms | runs %s%n",
        p, fmt(protocol));
    System.out.printf("STEP | overhead ratio | %.3f x | goal <= 1.05 x%n", p / b);
    breakdown();
  }

  /** Where the protocol's time goes, per lane step of the default model (S=2). */
  private void breakdown() {
    Secp256k1.KeyPair key = keys(1, 1).get(0).get(0);
    HostTensor act = HostTensor.of(new float[8 * 64 * 128], 8, 64, 128);
    int reps = 20;
    long t0 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      io.protolearn.training.lane.SignedTensor m =
          io.protolearn.training.lane.SignedTensor.sign(DOMAIN, key, 1, 0, 0, i, 0, 1, act);
      m.problem(DOMAIN, key.address());
    }
    double message = (System.nanoTime() - t0) / 1e6 / reps;
    List<StageState> states = new ArrayList<>();
    for (int s = 0; s < model.stages(); s++) {
      states.add(StageState.fresh(StageState.initialParams(ParamLayout.of(model, s), 1)));
    }
    t0 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      for (StageState st : states) {
        st.paramsHash();
        st.optStateHash();
        TensorCodec.hashList(st.params());
      }
    }
    double hashes = (System.nanoTime() - t0) / 1e6 / reps;
    t0 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      for (StageState st : states) {
        st.encode();
      }
    }
    double checkpoint = (System.nanoTime() - t0) / 1e6 / reps / train.checkpointInterval();
    System.out.printf(
        "STEP | breakdown per lane step | 2 messages signed+verified %.1f ms | leaf state hashes (params after, opt state, param grad; both stages; recorder thread) %.1f ms | checkpoint encode amortized %.1f ms%n",
        2 * message, hashes, checkpoint);
  }

  private void bareSteps(List<StageTrainer> trainers, List<StageState> states, int steps) {
    Address m0 = Address.ZERO;
    for (int i = 0; i < steps; i++) {
      Batch batch = corpus.batch(RUN_ID, 99, 0, m0, i, train.microBatch(), model.contextLength());
      HostTensor act = trainers.get(0).forward(states.get(0), batch.inputs());
      StepOutputs o1 = trainers.get(1).step(states.get(1), act, batch.labels());
      StepOutputs o0 = trainers.get(0).step(states.get(0), batch.inputs(), o1.inputGrad());
      states.set(1, o1.after());
      states.set(0, o0.after());
    }
  }

  /** Canonical tensor hashing vs a plain SHA-256 loop over the same bytes, same core. */
  void hash() throws Exception {
    List<HostTensor> params = StageState.initialParams(ParamLayout.of(model, 0), train.seed());
    byte[] encoded = TensorCodec.encodeList(params);
    int reps = 100;
    double mb = encoded.length / 1e6;
    List<Double> ours = new ArrayList<>();
    List<Double> plain = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        TensorCodec.hashList(params);
      }
      ours.add(mb * reps / ((System.nanoTime() - t0) / 1e9));
      t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        MessageDigest.getInstance("SHA-256").digest(encoded);
      }
      plain.add(mb * reps / ((System.nanoTime() - t0) / 1e9));
    }
    double o = median(ours.subList(1, 5));
    double p = median(plain.subList(1, 5));
    System.out.printf("HASH | canonical tensor hash (%.1f MB list) | %.0f MB/s%n", mb, o);
    System.out.printf("HASH | plain SHA-256 over the same bytes | %.0f MB/s%n", p);
    System.out.printf("HASH | ratio | %.2f x | goal >= 0.75 x%n", o / p);
  }

  /** Cost of recomputing a sampled step from its checkpoint vs the original step. */
  void recompute() {
    try (RoundRunner runner =
        new RoundRunner(
            model,
            train,
            corpus,
            RUN_ID,
            DOMAIN,
            keys(1, model.stages()),
            new InMemoryLaneTransport(),
            StepSink.NONE)) {
      long t0 = System.nanoTime();
      List<StageRoundResult> lane = runner.runRound(0, Set.of()).lanes().get(0);
      double laneStep = (System.nanoTime() - t0) / 1e6 / train.innerSteps();
      int c = train.checkpointInterval();
      for (int stage = 0; stage < model.stages(); stage++) {
        StageTrainer trainer = runner.trainers().get(stage);
        StepEvidence e = EvidenceBuilder.forStep(lane, stage, c - 1, RUN_ID, 0, DOMAIN, null);
        var input = e.steps().get(0);
        long s0 = System.nanoTime();
        for (int i = 0; i < 3; i++) {
          trainer.step(e.checkpoint(), input.input(), input.upstream());
        }
        double stepMs = (System.nanoTime() - s0) / 1e6 / 3;
        RecomputeVerifier verifier = new RecomputeVerifier(trainer, train, corpus);
        long v0 = System.nanoTime();
        VerificationResult result = verifier.verify(e);
        double verifyMs = (System.nanoTime() - v0) / 1e6;
        System.out.printf(
            "RECOMPUTE | stage %d: check of step %d (%d steps from checkpoint 0) | %.1f ms = %.1f ms/step | original stage step %.1f ms | ratio %.2f x | %s%n",
            stage,
            c - 1,
            c,
            verifyMs,
            verifyMs / c,
            stepMs,
            verifyMs / c / stepMs,
            result.outcome());
        System.out.printf(
            "RECOMPUTE | stage %d: mean check of a uniformly sampled step ((c+1)/2 steps) | %.1f ms%n",
            stage, verifyMs / c * (c + 1) / 2.0);
      }
      System.out.printf(
          "RECOMPUTE | lane step in-process (both stages, protocol) | %.1f ms%n", laneStep);
    }
  }

  /** Honest relative L2 distance between the pinned profile and other CPU settings. */
  void tolerance() throws Exception {
    int c = train.checkpointInterval();
    try (RoundRunner runner =
        new RoundRunner(
            model,
            train,
            corpus,
            RUN_ID,
            DOMAIN,
            keys(1, model.stages()),
            new InMemoryLaneTransport(),
            StepSink.NONE)) {
      List<StageRoundResult> lane = runner.runRound(0, Set.of()).lanes().get(0);
      for (int stage = 0; stage < model.stages(); stage++) {
        StepEvidence e = EvidenceBuilder.forStep(lane, stage, c - 1, RUN_ID, 0, DOMAIN, null);
        Path dir = Files.createTempDirectory("bench-tol");
        Files.writeString(dir.resolve("model.json"), CanonicalJson.toJson(model));
        Files.writeString(dir.resolve("train.json"), CanonicalJson.toJson(train));
        Files.write(dir.resolve("evidence.bin"), EvidenceCodec.encode(e));
        List<List<HostTensor>> reference = new ArrayList<>();
        StageState state = e.checkpoint();
        StageTrainer trainer = runner.trainers().get(stage);
        for (StepEvidence.StepRecord r : e.steps()) {
          StepOutputs o = trainer.step(state, r.input(), r.upstream());
          List<HostTensor> all = new ArrayList<>();
          all.add(o.output());
          all.add(o.inputGrad() == null ? HostTensor.scalar(0) : o.inputGrad());
          all.addAll(o.paramGrads());
          all.addAll(o.after().params());
          reference.add(all);
          state = o.after();
        }
        Map<String, Map<String, String>> variants =
            Map.of(
                "2 threads",
                Map.of(
                    "OMP_NUM_THREADS",
                    "2",
                    "MKL_CBWR",
                    "COMPATIBLE,STRICT",
                    "ATEN_CPU_CAPABILITY",
                    "default"),
                "1 thread, AVX2 kernels, MKL auto",
                Map.of("OMP_NUM_THREADS", "1", "MKL_CBWR", "AUTO", "ATEN_CPU_CAPABILITY", "avx2"));
        for (var v : variants.entrySet()) {
          probe(dir, v.getValue());
          int n = ParamLayout.of(model, stage).count();
          double[] max = new double[4];
          for (int k = 0; k < e.steps().size(); k++) {
            List<HostTensor> got =
                TensorCodec.decodeList(Files.readAllBytes(dir.resolve("probe-" + k + ".bin")));
            List<HostTensor> ref = reference.get(k);
            max[0] =
                Math.max(max[0], RecomputeVerifier.relL2(got.subList(0, 1), ref.subList(0, 1)));
            max[1] =
                Math.max(max[1], RecomputeVerifier.relL2(got.subList(1, 2), ref.subList(1, 2)));
            max[2] =
                Math.max(
                    max[2], RecomputeVerifier.relL2(got.subList(2, 2 + n), ref.subList(2, 2 + n)));
            max[3] =
                Math.max(
                    max[3],
                    RecomputeVerifier.relL2(
                        got.subList(2 + n, 2 + 2 * n), ref.subList(2 + n, 2 + 2 * n)));
          }
          System.out.printf(
              "TOLERANCE | stage %d, %s vs pinned profile, max over %d chained steps | output %.2e | input grad %.2e | param grad %.2e | params after %.2e%n",
              stage, v.getKey(), e.steps().size(), max[0], max[1], max[2], max[3]);
        }
      }
    }
  }

  private static void probe(Path dir, Map<String, String> env) throws Exception {
    ChildJvm.Output probe =
        ChildJvm.of(ToleranceProbe.class)
            .jvmArgs("-Dai.djl.pytorch.num_threads=" + env.get("OMP_NUM_THREADS"))
            .args(dir.toString())
            .env(env)
            .run(Duration.ofSeconds(600));
    if (probe.code() != 0) {
      throw new IllegalStateException("probe failed: " + probe.text());
    }
  }

  /** DiLoCo S=2, R=2 vs one centralized trainer on the same tokens (batch R*B, K*N steps). */
  void loss(int rounds, boolean dilocoOnly) {
    int lanes = 2;
    List<Batch> heldOut = corpus.heldOut(16, 8, model.contextLength());
    List<List<Secp256k1.KeyPair>> keys = keys(lanes, model.stages());
    List<Double> diloco = new ArrayList<>();
    List<HostTensor> initial = new ArrayList<>();
    long t0 = System.nanoTime();
    try (RoundRunner runner =
        new RoundRunner(
            model,
            train,
            corpus,
            RUN_ID,
            DOMAIN,
            keys,
            new InMemoryLaneTransport(),
            StepSink.NONE)) {
      runner.bases().forEach(b -> initial.addAll(b.params()));
      diloco.add(runner.evalLoss(heldOut));
      for (int r = 0; r < rounds; r++) {
        runner.runRound(r, Set.of());
        diloco.add(runner.evalLoss(heldOut));
      }
    }
    double dilocoSeconds = (System.nanoTime() - t0) / 1e9;
    if (dilocoOnly) {
      System.out.printf(
          "LOSS | held-out loss by round, DiLoCo S=2 R=2, outer lr %s momentum %s | %s | %.0f s%n",
          train.outerLr(), train.outerMomentum(), fmt(diloco), dilocoSeconds);
      return;
    }
    ModelSpec single = model.singleStage();
    List<Double> central = new ArrayList<>();
    t0 = System.nanoTime();
    try (StageTrainer trainer = new StageTrainer(single, train, 0)) {
      StageState state = StageState.fresh(initial);
      central.add(evalSingle(trainer, state, heldOut));
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < train.innerSteps(); i++) {
          List<Batch> parts = new ArrayList<>();
          for (int l = 0; l < lanes; l++) {
            parts.add(
                corpus.batch(
                    RUN_ID,
                    r,
                    l,
                    keys.get(l).get(0).address(),
                    i,
                    train.microBatch(),
                    model.contextLength()));
          }
          Batch big = Corpus.concat(parts);
          state = trainer.step(state, big.inputs(), big.labels()).after();
        }
        central.add(evalSingle(trainer, state, heldOut));
      }
    }
    double centralSeconds = (System.nanoTime() - t0) / 1e9;
    long tokens =
        (long) rounds * train.innerSteps() * lanes * train.microBatch() * model.contextLength();
    System.out.printf(
        "LOSS | tokens trained | %d | rounds %d, K %d, lanes %d, B %d, T %d%n",
        tokens, rounds, train.innerSteps(), lanes, train.microBatch(), model.contextLength());
    System.out.printf(
        "LOSS | held-out loss by round, DiLoCo S=2 R=2 | %s | %.0f s%n",
        fmt(diloco), dilocoSeconds);
    System.out.printf(
        "LOSS | held-out loss by round, centralized (batch R*B) | %s | %.0f s%n",
        fmt(central), centralSeconds);
    double d = diloco.get(diloco.size() - 1);
    double c = central.get(central.size() - 1);
    System.out.printf(
        "LOSS | final held-out loss | DiLoCo %.4f | centralized %.4f | gap %+.1f %% | goal within 5 %%%n",
        d, c, 100 * (d - c) / c);
  }

  private static double evalSingle(StageTrainer trainer, StageState state, List<Batch> heldOut) {
    double sum = 0;
    for (Batch b : heldOut) {
      sum += trainer.evalLoss(state, b.inputs(), b.labels());
    }
    return sum / heldOut.size();
  }

  private static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  private static String fmt(List<Double> xs) {
    return xs.stream().map(x -> String.format("%.3f", x)).toList().toString();
  }
}
