package io.protolearn.devnet.demo;

import io.protolearn.chain.contracts.RunManager;
import io.protolearn.chain.deploy.RunConfig;
import java.math.BigInteger;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of {@code bin/devnet demo}, checked before anything is started. */
public final class DemoOptions {
  @Option(
      names = "--dir",
      defaultValue = ".devnet/demo",
      description =
          "Demo folder: chain log, nodes' data and logs, report (default: ${DEFAULT-VALUE}).")
  public Path dir;

  @Option(
      names = "--stages",
      defaultValue = "2",
      description = "Pipeline stages S; the devnet model has 2 (default: ${DEFAULT-VALUE}).")
  public int stages;

  @Option(
      names = "--replicas",
      defaultValue = "2",
      description = "Miners per stage R, i.e. lanes (default: ${DEFAULT-VALUE}).")
  public int replicas;

  @Option(
      names = "--validators",
      defaultValue = "3",
      description = "Validators V (default: ${DEFAULT-VALUE}).")
  public int validators;

  @Option(
      names = "--rounds",
      defaultValue = "4",
      description = "Rounds N to run and report (default: ${DEFAULT-VALUE}).")
  public int rounds;

  @Option(
      names = "--adversaries",
      defaultValue = "all",
      description =
          "Extra dishonest participants (real nodes with one behaviour swapped): none, or a"
              + " comma list of lazy, copycat, corrupt, withholder, peer-withholder, stale-base,"
              + " lazy-validator, report-thief, jury-grinder, crash, or all"
              + " (default: ${DEFAULT-VALUE}).")
  public String adversaries;

  @Option(
      names = "--chaos",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Kill (-9) N random honest nodes, miners and validators, at random moments early in"
              + " the rounds' commit windows; the demo restarts each on its data (default:"
              + " ${DEFAULT-VALUE}).")
  public int chaos;

  @Option(
      names = "--chaos-seed",
      paramLabel = "SEED",
      defaultValue = "1",
      description = "Seed of the nodes and moments --chaos picks (default: ${DEFAULT-VALUE}).")
  public long chaosSeed;

  @Option(
      names = "--sample-rate-bps",
      defaultValue = "-1",
      hidden = true,
      description = "sampleRateBps (default: 1000, or 5000 with adversaries).")
  public int sampleRateBps;

  @Option(
      names = "--commit-blocks",
      defaultValue = "12",
      hidden = true,
      description = "Blocks of a round's commit window (default: ${DEFAULT-VALUE}).")
  public int commitBlocks;

  @Option(
      names = "--check-blocks",
      defaultValue = "12",
      hidden = true,
      description = "Blocks of a round's check window (default: ${DEFAULT-VALUE}).")
  public int checkBlocks;

  @Option(
      names = "--block-ms",
      defaultValue = "1000",
      hidden = true,
      description = "Milliseconds per block once the nodes run (default: ${DEFAULT-VALUE}).")
  public int blockMillis;

  @Option(
      names = "--vote-blocks",
      defaultValue = "10",
      hidden = true,
      description = "Blocks of a round's vote window (default: ${DEFAULT-VALUE}).")
  public int voteBlocks;

  /**
   * Checks the options against the model's stage count and fills the defaults that depend on the
   * adversaries; a user mistake is an {@link IllegalArgumentException} with one line.
   */
  public AdversaryPlan check(int modelStages) {
    if (stages != modelStages) {
      throw new IllegalArgumentException(
          "--stages must be "
              + modelStages
              + ": the devnet model has "
              + modelStages
              + " pipeline stages, got "
              + stages);
    }
    if (replicas < 1 || replicas > 8) {
      throw new IllegalArgumentException("--replicas must be in 1..8, got " + replicas);
    }
    if (validators < 1 || validators > 8) {
      throw new IllegalArgumentException("--validators must be in 1..8, got " + validators);
    }
    if (rounds < 1 || rounds > 200) {
      throw new IllegalArgumentException("--rounds must be in 1..200, got " + rounds);
    }
    if (chaos < 0 || chaos > 100) {
      throw new IllegalArgumentException("--chaos must be in 0..100, got " + chaos);
    }
    if (commitBlocks < 4 || checkBlocks < 2 || voteBlocks < 2) {
      throw new IllegalArgumentException(
          "need --commit-blocks >= 4, --check-blocks >= 2, --vote-blocks >= 2");
    }
    BlockClock.validate(blockMillis);
    AdversaryPlan plan = AdversaryPlan.parse(adversaries, stages);
    if (sampleRateBps == -1) {
      sampleRateBps = plan.any() ? 5000 : 1000;
    }
    if (sampleRateBps < 1 || sampleRateBps > 10_000) {
      throw new IllegalArgumentException("--sample-rate-bps must be in 1..10000");
    }
    return plan;
  }

  /** The devnet run's parameters with this demo's windows and sample rate. */
  public RunManager.Params params() {
    RunManager.Params p = RunConfig.devnetParams();
    return new RunManager.Params(
        p.minMinerStake,
        p.minValidatorStake,
        BigInteger.valueOf(sampleRateBps),
        p.slashBps,
        p.challengeBond,
        p.jurorCount,
        p.jurorBond,
        BigInteger.valueOf(commitBlocks),
        BigInteger.valueOf(checkBlocks),
        BigInteger.valueOf(voteBlocks),
        p.sharesPerRound,
        p.validatorShareBps,
        // the contract's floor: a whole round plus the dispute windows
        p.unbondingBlocks.max(
            BigInteger.valueOf(commitBlocks + 2L * (checkBlocks + voteBlocks) + 1)));
  }

  /** Milliseconds between two looks at the chain by a node. */
  public int pollMillis() {
    return Math.min(200, blockMillis / 2);
  }
}
