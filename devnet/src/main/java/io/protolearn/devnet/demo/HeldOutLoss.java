package io.protolearn.devnet.demo;

import io.protolearn.miner.node.RunSpecs;
import io.protolearn.training.data.Batch;
import io.protolearn.training.data.Corpus;
import io.protolearn.training.model.StageState;
import io.protolearn.training.model.StageTrainer;
import io.protolearn.training.tensor.HostTensor;
import java.util.ArrayList;
import java.util.List;

/** The held-out loss of a pipelined model given each stage's parameters (stage 0 first). */
public final class HeldOutLoss implements AutoCloseable {
  private final List<StageTrainer> stages = new ArrayList<>();
  private final List<Batch> batches;

  public HeldOutLoss(RunSpecs specs) {
    for (int s = 0; s < specs.stages(); s++) {
      stages.add(new StageTrainer(specs.model(), specs.train(), s));
    }
    batches = Corpus.forSpec(specs.data()).heldOut(8, 8, specs.seqLength());
  }

  /** Mean loss over the held-out batches; {@code params.get(s)} are stage s's parameters. */
  public double loss(List<List<HostTensor>> params) {
    if (params.size() != stages.size()) {
      throw new IllegalArgumentException("need the parameters of " + stages.size() + " stages");
    }
    int last = stages.size() - 1;
    double sum = 0;
    for (Batch b : batches) {
      HostTensor act = b.inputs();
      for (int s = 0; s < last; s++) {
        act = stages.get(s).forward(StageState.fresh(params.get(s)), act);
      }
      sum += stages.get(last).evalLoss(StageState.fresh(params.get(last)), act, b.labels());
    }
    return sum / batches.size();
  }

  @Override
  public void close() {
    stages.forEach(StageTrainer::close);
  }
}
