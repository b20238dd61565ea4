package io.protolearn.training.lane;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.training.data.Corpus;
import io.protolearn.training.model.StageTrainer;
import io.protolearn.training.spec.TrainSpec;
import io.protolearn.training.tensor.HostTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs one lane (one miner per stage) for the K inner steps of a round in one process: each stage
 * runs the miner's own {@link StageRunner} on a thread of its own, the stages exchanging signed
 * activations and gradients through a {@link LaneTransport}. What each stage stores is kept in its
 * {@link StageArtifacts} and passed on to the {@link StepSink}.
 *
 * <p>When a stage stops (a message refused or missing, or a bug), the other stages are interrupted
 * and the lane fails with the first stage's reason: a lane in one process has no partial rounds.
 */
public final class LaneRunner {
  private final List<StageTrainer> trainers;
  private final TrainSpec trainSpec;
  private final Corpus corpus;
  private final LaneTransport transport;
  private final StepSink sink;

  public LaneRunner(
      List<StageTrainer> trainers,
      TrainSpec trainSpec,
      Corpus corpus,
      LaneTransport transport,
      StepSink sink) {
    this.trainers = List.copyOf(trainers);
    this.trainSpec = trainSpec;
    this.corpus = corpus;
    this.transport = transport;
    this.sink = sink;
  }

  /** One stage's run on a thread of its own: its result, or what it threw. */
  private static final class StageThread extends Thread {
    private final int stage;
    private final Callable<StageRunner.Result> body;
    private final BlockingQueue<StageThread> finished;
    private volatile StageRunner.Result result;
    private volatile Throwable error;

    StageThread(
        int stage,
        String name,
        Callable<StageRunner.Result> body,
        BlockingQueue<StageThread> finished) {
      super(name);
      setDaemon(true);
      this.stage = stage;
      this.body = body;
      this.finished = finished;
    }

    @Override
    public void run() {
      try {
        result = body.call();
      } catch (Throwable t) {
        error = t;
      } finally {
        finished.add(this);
      }
    }

    boolean stopped() {
      return error != null || result.failure().isPresent();
    }
  }

  /** Trains the lane from the stages' base parameters; returns one result per stage. */
  public List<StageRoundResult> run(
      RoundContext ctx, int lane, List<Secp256k1.KeyPair> members, List<List<HostTensor>> bases) {
    int stages = trainers.size();
    List<Address> addresses = members.stream().map(Secp256k1.KeyPair::address).toList();
    List<StageArtifacts> artifacts = new ArrayList<>();
    List<StageThread> threads = new ArrayList<>();
    BlockingQueue<StageThread> finished = new LinkedBlockingQueue<>();
    for (int s = 0; s < stages; s++) {
      StageArtifacts stored = new StageArtifacts();
      artifacts.add(stored);
      StageRunner runner =
          new StageRunner(
              trainers.get(s),
              s,
              trainSpec,
              corpus,
              members.get(s),
              StepSink.both(stored, sink),
              StepStrategy.HONEST);
      List<HostTensor> base = bases.get(s);
      Callable<StageRunner.Result> body =
          () ->
              runner.run(
                  ctx,
                  lane,
                  addresses,
                  base,
                  trainSpec.innerSteps(),
                  transport,
                  StageRunner.StepListener.NONE);
      threads.add(new StageThread(s, "lane-" + lane + "-stage-" + s, body, finished));
    }
    threads.forEach(Thread::start);
    StageThread first = awaitAll(threads, finished);
    if (first != null) {
      throw first.error != null
          ? rethrown(first.error)
          : new LaneFailure(first.result.failure().get());
    }
    List<StageRoundResult> results = new ArrayList<>(stages);
    for (StageThread t : threads) {
      StageRunner.Result r = t.result;
      results.add(
          new StageRoundResult(
              t.stage,
              lane,
              addresses.get(t.stage),
              r.tree(),
              r.end(),
              r.delta(),
              r.deltaHash(),
              r.baseHash(),
              artifacts.get(t.stage),
              r.meanLoss()));
    }
    return results;
  }

  /**
   * Waits for every stage; when one stops, interrupts the others. Returns the first to stop, or
   * null when every stage completed its round.
   */
  private static StageThread awaitAll(List<StageThread> threads, BlockingQueue<StageThread> done) {
    StageThread first = null;
    try {
      for (int n = 0; n < threads.size(); n++) {
        StageThread t = done.take();
        if (first == null && t.stopped()) {
          first = t;
          threads.forEach(Thread::interrupt);
        }
      }
      for (StageThread t : threads) {
        t.join();
      }
    } catch (InterruptedException e) {
      threads.forEach(Thread::interrupt);
      Thread.currentThread().interrupt();
      throw new LaneFailure("interrupted while the lane ran");
    }
    return first;
  }

  private static RuntimeException rethrown(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException("a stage of the lane failed", t);
  }
}
