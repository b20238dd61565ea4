package io.protolearn.training.bench;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.economics.SoundnessBound;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.protocol.sampling.Sampling;
import io.protolearn.training.Fixtures;
import io.protolearn.training.lane.RoundRunner;
import io.protolearn.training.lane.StageRoundResult;
import io.protolearn.training.spec.TrainSpec;
import io.protolearn.training.verify.EvidenceBuilder;
import io.protolearn.training.verify.RecomputeVerifier;
import io.protolearn.training.verify.StepEvidence;
import io.protolearn.training.verify.Tampered;
import io.protolearn.training.verify.VerificationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Detection rate of a lazy miner (DESIGN.md §9), measured with the protocol's own sampling function
 * and recompute verifier.
 *
 * <p>One real round is trained (2 stages, K steps, a checkpoint every step so that a check
 * recomputes exactly the sampled step, the model of the §9 formula). The lazy miner is stage 0: for
 * each step it has an honest leaf and a fabricated one (output and parameter-gradient hashes it did
 * not compute; parameter hashes kept so that its chain stays consistent and no chain-break proof
 * catches it for free), its fabricated round tree being recommitted. Every step's honest and
 * fabricated evidence is verified once with {@link RecomputeVerifier}; the trials then draw a fresh
 * random seed and a random set of fK fabricated steps, compute the sampled steps with {@link
 * Sampling#sampledSteps} and count the round as detected when the verifier's outcome for any
 * sampled step is not MATCH.
 *
 * <p>Net earnings per round follow from each measured rate: the lazy miner keeps its round's shares
 * when not caught (a fraction 1 − P of an honest miner's, who always keeps them) and loses {@code
 * slashBps} of its stake when caught. f = 1 is also the copycat and the withholder: every check of
 * theirs fails.
 *
 * <p>Run: {@code mvn -q -pl sdk/training test-compile exec:exec
 * -Dbench.main=io.protolearn.training.bench.DetectionBench -Dbench.args="16 4000"} (K, trials per
 * cell).
 */
public final class DetectionBench {
  private static final int[] RATES_BPS = {500, 1_000, 2_500};

  /** The devnet's stake per participant and slash rate (RunConfig.devnetParams, the demo). */
  private static final double STAKE_ETH = 2;

  private static final int SLASH_BPS = 5_000;
  private static final double[] FRACTIONS = {1.0 / 16, 0.125, 0.25, 0.5, 1.0};

  private DetectionBench() {}

  public static void main(String[] argv) {
    String[] args = String.join(" ", argv).trim().split("\\s+");
    int k = args.length > 0 && !args[0].isEmpty() ? Integer.parseInt(args[0]) : 16;
    int trials = args.length > 1 && !args[1].isEmpty() ? Integer.parseInt(args[1]) : 4_000;
    TrainSpec train = Fixtures.TRAIN.withSchedule(k, 2, 1);
    boolean[] fabricatedCaught = new boolean[k];
    boolean[] honestPassed = new boolean[k];
    Address lazy;
    try (RoundRunner runner = Fixtures.runner(Fixtures.TINY, train, 1)) {
      List<StageRoundResult> lane = runner.runRound(0, Set.of()).lanes().get(0);
      lazy = lane.get(0).miner();
      RecomputeVerifier verifier =
          new RecomputeVerifier(runner.trainers().get(0), train, Fixtures.CORPUS);
      RoundTree fabricated = fabricate(lane.get(0).tree());
      for (int s = 0; s < k; s++) {
        StepEvidence honest =
            EvidenceBuilder.forStep(lane, 0, s, Fixtures.RUN_ID, 0, Fixtures.DOMAIN, null);
        honestPassed[s] = verifier.verify(honest).outcome() == VerificationResult.Outcome.MATCH;
        VerificationResult r = verifier.verify(Tampered.recommitted(honest, fabricated));
        fabricatedCaught[s] = r.outcome() != VerificationResult.Outcome.MATCH;
      }
    }
    int honestOk = 0;
    int fabricatedOk = 0;
    for (int s = 0; s < k; s++) {
      honestOk += honestPassed[s] ? 1 : 0;
      fabricatedOk += fabricatedCaught[s] ? 1 : 0;
    }
    System.out.printf(
        "K=%d, trials per cell %d; honest steps that recompute to MATCH: %d/%d; fabricated steps"
            + " the verifier rejects: %d/%d%n%n",
        k, trials, honestOk, k, fabricatedOk, k);
    System.out.println(
        "| p | f | fK | measured P (95% CI) | 1 − (1 − p)^(fK) | false accusations |"
            + " shares vs honest | stake lost per round |");
    System.out.println("|---:|---:|---:|---|---:|---:|---:|---:|");
    Random random = new Random(20261122L);
    for (int bps : RATES_BPS) {
      for (double f : FRACTIONS) {
        int n = (int) Math.round(f * k);
        int detected = 0;
        int honestAccused = 0;
        for (int t = 0; t < trials; t++) {
          byte[] seed = new byte[32];
          random.nextBytes(seed);
          List<Integer> fake = randomSubset(random, k, n);
          boolean caught = false;
          for (int s : Sampling.sampledSteps(new Bytes32(seed), lazy, k, bps)) {
            boolean isFake = fake.contains(s);
            caught |= isFake ? fabricatedCaught[s] : !honestPassed[s];
            honestAccused += !isFake && !honestPassed[s] ? 1 : 0;
          }
          detected += caught ? 1 : 0;
        }
        double measured = (double) detected / trials;
        double half = 1.96 * Math.sqrt(measured * (1 - measured) / trials);
        System.out.printf(
            Locale.ROOT,
            "| %.2f | %.3f | %d | %.3f (%.3f–%.3f) | %.3f | %d | %.3f | %.3f ETH |%n",
            bps / 10_000.0,
            f,
            n,
            measured,
            Math.max(0, measured - half),
            Math.min(1, measured + half),
            SoundnessBound.detectionProbability(bps / 10_000.0, n),
            honestAccused,
            1 - measured,
            measured * STAKE_ETH * SLASH_BPS / 10_000.0);
      }
    }
  }

  /** The lazy miner's tree: every leaf's output and parameter-gradient hashes made up. */
  private static RoundTree fabricate(RoundTree honest) {
    List<StepLeaf> leaves = new ArrayList<>();
    for (StepLeaf l : honest.leaves()) {
      Bytes32 madeUp =
          new Bytes32(
              io.protolearn.protocol.crypto.Keccak.keccak256(("lazy " + l.step()).getBytes()));
      leaves.add(Tampered.withHashes(Tampered.withHashes(l, 10, madeUp), 12, madeUp));
    }
    return RoundTree.of(leaves);
  }

  private static List<Integer> randomSubset(Random random, int k, int n) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      all.add(i);
    }
    java.util.Collections.shuffle(all, random);
    return all.subList(0, n);
  }
}
