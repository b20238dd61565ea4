package io.protolearn.training.verify;

import io.protolearn.training.Fixtures;
import io.protolearn.training.lane.RoundRunner;
import io.protolearn.training.lane.StageRoundResult;
import java.util.List;
import java.util.Set;

/**
 * Trains many rounds and recomputes sampled steps of each, in a process started with a small heap
 * so that the garbage collector runs often; prints one line per non-matching check and exits 1 if
 * there was any. Run by {@link RecomputeUnderGcPressureTest}.
 */
public final class GcPressureRecompute {
  private GcPressureRecompute() {}

  public static void main(String[] args) {
    int rounds = Integer.parseInt(args[0]);
    int checks = 0;
    int failures = 0;
    for (int i = 0; i < rounds; i++) {
      try (RoundRunner runner = Fixtures.runner(Fixtures.TINY, Fixtures.TRAIN, 1)) {
        List<StageRoundResult> lane = runner.runRound(i % 3, Set.of()).lanes().get(0);
        for (int stage = 0; stage < 2; stage++) {
          for (int step : new int[] {1, 3}) {
            StepEvidence e =
                EvidenceBuilder.forStep(
                    lane, stage, step, Fixtures.RUN_ID, i % 3, Fixtures.DOMAIN, null);
            VerificationResult r =
                new RecomputeVerifier(runner.trainers().get(stage), Fixtures.TRAIN, Fixtures.CORPUS)
                    .verify(e);
            checks++;
            if (r.outcome() != VerificationResult.Outcome.MATCH) {
              failures++;
              System.out.println("round " + i + " stage " + stage + ": " + r);
            }
          }
        }
      }
    }
    System.out.println("checks " + checks + " failures " + failures);
    System.exit(failures == 0 ? 0 : 1);
  }
}
