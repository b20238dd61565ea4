package io.protolearn.training.bench;

import io.protolearn.training.model.StageState;
import io.protolearn.training.model.StageTrainer;
import io.protolearn.training.model.StepOutputs;
import io.protolearn.training.model.TrainingEngine;
import io.protolearn.training.spec.CanonicalJson;
import io.protolearn.training.spec.ModelSpec;
import io.protolearn.training.spec.TrainSpec;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import io.protolearn.training.verify.EvidenceCodec;
import io.protolearn.training.verify.StepEvidence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process of the tolerance benchmark: reruns the steps of evidence under whatever thread
 * count this JVM was started with and writes, per step, the output, input gradient, parameter
 * gradient and params after.
 */
public final class ToleranceProbe {
  private ToleranceProbe() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    ModelSpec model =
        CanonicalJson.fromJson(Files.readString(dir.resolve("model.json")), ModelSpec.class);
    TrainSpec train =
        CanonicalJson.fromJson(Files.readString(dir.resolve("train.json")), TrainSpec.class);
    TrainingEngine.start(train.profile());
    System.out.println("threads " + TrainingEngine.current("cpu").threads());
    StepEvidence e = EvidenceCodec.decode(Files.readAllBytes(dir.resolve("evidence.bin")));
    try (StageTrainer trainer = new StageTrainer(model, train, e.commitment().stage())) {
      StageState state = e.checkpoint();
      for (StepEvidence.StepRecord r : e.steps()) {
        StepOutputs o = trainer.step(state, r.input(), r.upstream());
        List<HostTensor> all = new ArrayList<>();
        all.add(o.output());
        all.add(o.inputGrad() == null ? HostTensor.scalar(0) : o.inputGrad());
        all.addAll(o.paramGrads());
        all.addAll(o.after().params());
        Files.write(dir.resolve("probe-" + r.leaf().step() + ".bin"), TensorCodec.encodeList(all));
        state = o.after();
      }
    }
  }
}
