package io.protolearn.training.tool;

import io.protolearn.training.data.Corpus;
import io.protolearn.training.model.StageTrainer;
import io.protolearn.training.model.TrainingEngine;
import io.protolearn.training.spec.CanonicalJson;
import io.protolearn.training.spec.DataSpec;
import io.protolearn.training.spec.ModelSpec;
import io.protolearn.training.spec.TrainSpec;
import io.protolearn.training.verify.EvidenceCodec;
import io.protolearn.training.verify.RecomputeVerifier;
import io.protolearn.training.verify.StepEvidence;
import io.protolearn.training.verify.VerificationResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Recomputes a step from evidence on disk, in its own JVM: {@code RecomputeTool <dir>} with {@code
 * model.json}, {@code data.json}, {@code train.json} and {@code evidence.bin} in dir. Prints the
 * result on one line ({@code MATCH}, {@code MISMATCH <field> <step>} or {@code MALFORMED <reason>})
 * and writes the recomputed end state to {@code recomputed-state.bin}. Exit code 0 on MATCH, 1
 * otherwise, 2 when this process does not run the run's profile.
 */
public final class RecomputeTool {
  private RecomputeTool() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: RecomputeTool <evidence-dir>");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    ModelSpec model = CanonicalJson.fromJson(read(dir, "model.json"), ModelSpec.class);
    DataSpec data = CanonicalJson.fromJson(read(dir, "data.json"), DataSpec.class);
    TrainSpec train = CanonicalJson.fromJson(read(dir, "train.json"), TrainSpec.class);
    var check = TrainingEngine.start(train.profile());
    if (!check.matches()) {
      System.out.println("PROFILE_MISMATCH " + check.mismatches());
      System.exit(2);
    }
    StepEvidence evidence = EvidenceCodec.decode(Files.readAllBytes(dir.resolve("evidence.bin")));
    try (StageTrainer trainer = new StageTrainer(model, train, evidence.commitment().stage())) {
      RecomputeVerifier verifier = new RecomputeVerifier(trainer, train, Corpus.forSpec(data));
      VerificationResult result = verifier.verify(evidence);
      var state = evidence.checkpoint();
      for (StepEvidence.StepRecord r : evidence.steps()) {
        state = trainer.step(state, r.input(), r.upstream()).after();
      }
      Files.write(dir.resolve("recomputed-state.bin"), state.encode());
      System.out.println(
          switch (result.outcome()) {
            case MATCH -> "MATCH";
            case MISMATCH -> "MISMATCH " + result.field() + " " + result.step();
            case MALFORMED -> "MALFORMED " + result.reason();
          });
      System.exit(result.isMatch() ? 0 : 1);
    }
  }

  private static String read(Path dir, String name) throws java.io.IOException {
    return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
  }
}
