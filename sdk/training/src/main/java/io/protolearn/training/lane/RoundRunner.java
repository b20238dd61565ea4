package io.protolearn.training.lane;

import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.training.data.Batch;
import io.protolearn.training.data.Corpus;
import io.protolearn.training.model.HeldOutLoss;
import io.protolearn.training.model.StageState;
import io.protolearn.training.model.StageTrainer;
import io.protolearn.training.spec.ModelSpec;
import io.protolearn.training.spec.TrainSpec;
import io.protolearn.training.tensor.HostTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S stages × R replicas in one process: every round, each of the R lanes trains K inner steps from
 * the stages' bases, then each stage takes the outer step over the accepted lanes' deltas (ordered
 * by lane). Lanes run one after the other; the stages of a lane each on a thread of their own
 * ({@link LaneRunner}).
 */
public final class RoundRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RoundRunner.class);

  private final ModelSpec modelSpec;
  private final TrainSpec trainSpec;
  private final long runId;
  private final TensorMessage.Domain domain;
  private final List<List<Secp256k1.KeyPair>> lanes;
  private final List<StageTrainer> trainers = new ArrayList<>();
  private final LaneRunner laneRunner;
  private final OuterStep outerStep;
  private List<OuterStep.OuterState> bases = new ArrayList<>();

  /** The outcome of a round: every lane's per-stage results and the next bases. */
  public record RoundOutcome(
      long round, List<List<StageRoundResult>> lanes, List<OuterStep.OuterState> nextBases) {
    /** Mean training loss over the lanes (last stage). */
    public double meanTrainLoss() {
      return lanes.stream().mapToDouble(l -> l.get(l.size() - 1).meanLoss()).average().orElse(0);
    }
  }

  /**
   * @param lanes {@code lanes.get(l).get(s)} is the key of lane l's stage-s miner
   */
  public RoundRunner(
      ModelSpec modelSpec,
      TrainSpec trainSpec,
      Corpus corpus,
      long runId,
      TensorMessage.Domain domain,
      List<List<Secp256k1.KeyPair>> lanes,
      LaneTransport transport,
      StepSink sink) {
    this.modelSpec = modelSpec;
    this.trainSpec = trainSpec;
    this.runId = runId;
    this.domain = domain;
    this.lanes = List.copyOf(lanes);
    for (int s = 0; s < modelSpec.stages(); s++) {
      StageTrainer trainer = new StageTrainer(modelSpec, trainSpec, s);
      trainers.add(trainer);
      bases.add(
          OuterStep.OuterState.initial(
              StageState.initialParams(trainer.layout(), trainSpec.seed())));
    }
    this.laneRunner = new LaneRunner(trainers, trainSpec, corpus, transport, sink);
    this.outerStep = new OuterStep(trainSpec);
  }

  public List<OuterStep.OuterState> bases() {
    return List.copyOf(bases);
  }

  public List<StageTrainer> trainers() {
    return List.copyOf(trainers);
  }

  /** Runs a round; lanes in {@code rejectedLanes} train but their deltas are not aggregated. */
  public RoundOutcome runRound(long round, Set<Integer> rejectedLanes) {
    RoundContext ctx = new RoundContext(runId, round, domain);
    List<List<HostTensor>> baseParams = bases.stream().map(OuterStep.OuterState::params).toList();
    List<List<StageRoundResult>> results = new ArrayList<>();
    for (int lane = 0; lane < lanes.size(); lane++) {
      results.add(laneRunner.run(ctx, lane, lanes.get(lane), baseParams));
    }
    List<OuterStep.OuterState> next = new ArrayList<>();
    for (int s = 0; s < modelSpec.stages(); s++) {
      List<List<HostTensor>> accepted = new ArrayList<>();
      for (int lane = 0; lane < lanes.size(); lane++) {
        if (!rejectedLanes.contains(lane)) {
          accepted.add(results.get(lane).get(s).delta());
        }
      }
      next.add(outerStep.apply(bases.get(s), accepted));
    }
    bases = next;
    RoundOutcome outcome = new RoundOutcome(round, results, next);
    LOG.info(
        "round {} trained: {} lanes, train loss {}",
        round,
        lanes.size(),
        String.format("%.4f", outcome.meanTrainLoss()));
    return outcome;
  }

  /** Mean held-out loss of the current bases, forwarding through every stage. */
  public double evalLoss(List<Batch> batches) {
    return HeldOutLoss.of(
        trainers, bases.stream().map(OuterStep.OuterState::params).toList(), batches);
  }

  @Override
  public void close() {
    trainers.forEach(StageTrainer::close);
  }
}
