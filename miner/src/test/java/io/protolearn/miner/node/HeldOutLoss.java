package io.protolearn.miner.node;

import io.protolearn.training.data.Batch;
import io.protolearn.training.data.Corpus;
import io.protolearn.training.model.StageState;
import io.protolearn.training.model.StageTrainer;
import io.protolearn.training.tensor.HostTensor;
import java.util.List;

/** The held-out loss of a 2-stage model given each stage's parameters. */
final class HeldOutLoss implements AutoCloseable {
  private final StageTrainer first;
  private final StageTrainer last;
  private final List<Batch> batches;

  HeldOutLoss(RunSpecs specs) {
    first = new StageTrainer(specs.model(), specs.train(), 0);
    last = new StageTrainer(specs.model(), specs.train(), 1);
    batches = Corpus.forSpec(specs.data()).heldOut(8, 8, specs.seqLength());
  }

  double loss(List<HostTensor> stage0, List<HostTensor> stage1) {
    double sum = 0;
    for (Batch b : batches) {
      HostTensor act = first.forward(StageState.fresh(stage0), b.inputs());
      sum += last.evalLoss(StageState.fresh(stage1), act, b.labels());
    }
    return sum / batches.size();
  }

  @Override
  public void close() {
    first.close();
    last.close();
  }
}
