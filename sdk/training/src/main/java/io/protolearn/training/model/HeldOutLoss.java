package io.protolearn.training.model;

import io.protolearn.training.data.Batch;
import io.protolearn.training.data.Corpus;
import io.protolearn.training.spec.RunSpecs;
import io.protolearn.training.tensor.HostTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The held-out loss of a pipelined model given each stage's parameters (stage 0 first): the
 * activations go forward through every stage, the last one scores them against the labels.
 */
public final class HeldOutLoss implements AutoCloseable {
  /** Held-out batches a run's loss is measured on (devnet demo, miner tests). */
  public static final int BATCHES = 8;

  public static final int BATCH_SIZE = 8;

  private final List<StageTrainer> stages = new ArrayList<>();
  private final List<Batch> batches;

  /** Measures on the run's held-out corpus tail with its own trainers. */
  public HeldOutLoss(RunSpecs specs) {
    for (int s = 0; s < specs.stages(); s++) {
      stages.add(new StageTrainer(specs.model(), specs.train(), s));
    }
    batches = Corpus.forSpec(specs.data()).heldOut(BATCHES, BATCH_SIZE, specs.seqLength());
  }

  /** Mean loss over the held-out batches; {@code params.get(s)} are stage s's parameters. */
  public double loss(List<List<HostTensor>> params) {
    if (params.size() != stages.size()) {
      throw new IllegalArgumentException("need the parameters of " + stages.size() + " stages");
    }
    return of(stages, params, batches);
  }

  /** Mean loss over {@code batches} of the model whose stage s runs on {@code trainers.get(s)}. */
  public static double of(
      List<StageTrainer> trainers, List<List<HostTensor>> params, List<Batch> batches) {
    int last = trainers.size() - 1;
    double sum = 0;
    for (Batch b : batches) {
      HostTensor act = b.inputs();
      for (int s = 0; s < last; s++) {
        act = trainers.get(s).forward(StageState.fresh(params.get(s)), act);
      }
      sum += trainers.get(last).evalLoss(StageState.fresh(params.get(last)), act, b.labels());
    }
    return sum / batches.size();
  }

  @Override
  public void close() {
    stages.forEach(StageTrainer::close);
  }
}
