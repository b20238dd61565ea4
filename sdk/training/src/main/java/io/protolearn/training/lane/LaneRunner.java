package io.protolearn.training.lane;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.data.Batch;
import io.protolearn.training.data.Corpus;
import io.protolearn.training.model.StageState;
import io.protolearn.training.model.StageTrainer;
import io.protolearn.training.model.StepOutputs;
import io.protolearn.training.spec.TrainSpec;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one lane (one miner per stage) for the K inner steps of a round, in one process: the forward
 * pass goes stage 0 → S-1 as signed activations, the backward pass S-1 → 0 as signed gradients,
 * through a {@link LaneTransport}; each receiver checks the sender is its lane peer.
 *
 * <p>Hashing the leaf's state hashes (params after, optimizer state, parameter gradient) and
 * storing artifacts run on one recorder thread, in step order, overlapping the next step's compute
 * (the profile pins the engine to one thread, so a second core is free); hashes of the tensors sent
 * or received are taken from the signed messages. The round's leaves are joined at its end.
 *
 * <p>Each non-last stage runs its forward twice (once to send activations, once inside the step
 * that also runs backward): activation recomputation, so a step is one pure function that a
 * validator reruns as is. The two outputs must hash the same; a difference is a bug and stops the
 * lane.
 */
public final class LaneRunner implements AutoCloseable {
  private final List<StageTrainer> trainers;
  private final TrainSpec trainSpec;
  private final Corpus corpus;
  private final LaneTransport transport;
  private final StepSink sink;
  private final ExecutorService recorder =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "step-recorder");
            t.setDaemon(true);
            return t;
          });

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

  /** Trains the lane from the stages' base parameters; returns one result per stage. */
  public List<StageRoundResult> run(
      RoundContext ctx, int lane, List<Secp256k1.KeyPair> members, List<List<HostTensor>> bases) {
    int stages = trainers.size();
    int seq = (int) trainers.get(0).modelSpec().contextLength();
    Address[] miners = new Address[stages];
    StageState[] states = new StageState[stages];
    Bytes32[] baseHash = new Bytes32[stages];
    List<List<Future<StepLeaf>>> pending = new ArrayList<>();
    StageArtifacts[] artifacts = new StageArtifacts[stages];
    List<List<StepLeaf>> leaves = new ArrayList<>();
    for (int s = 0; s < stages; s++) {
      miners[s] = members.get(s).address();
      states[s] = StageState.fresh(bases.get(s));
      baseHash[s] = states[s].paramsHash();
      pending.add(new ArrayList<>());
      artifacts[s] = new StageArtifacts();
      leaves.add(new ArrayList<>());
    }
    double lossSum = 0;
    for (int i = 0; i < trainSpec.innerSteps(); i++) {
      Batch batch =
          corpus.batch(ctx.runId(), ctx.round(), lane, miners[0], i, trainSpec.microBatch(), seq);
      HostTensor[] inputs = new HostTensor[stages];
      SignedTensor[] inputMessages = new SignedTensor[stages];
      HostTensor[] sentOutputs = new HostTensor[stages];
      Bytes32[] sentHashes = new Bytes32[stages];
      inputs[0] = batch.inputs();
      for (int s = 0; s < stages - 1; s++) {
        HostTensor out = trainers.get(s).forward(states[s], inputs[s]);
        SignedTensor sent =
            SignedTensor.sign(
                ctx.domain(), members.get(s), ctx.runId(), ctx.round(), lane, i, s, s + 1, out);
        sentOutputs[s] = out;
        sentHashes[s] = sent.header().tensorHash();
        transport.send(sent);
        inputMessages[s + 1] = receive(ctx, lane, i, s, s + 1, miners[s]);
        inputs[s + 1] = inputMessages[s + 1].tensor();
      }
      HostTensor upstream = batch.labels();
      SignedTensor upstreamMessage = null;
      for (int s = stages - 1; s >= 0; s--) {
        StepOutputs o = trainers.get(s).step(states[s], inputs[s], upstream);
        if (s < stages - 1 && !o.output().sameAs(sentOutputs[s])) {
          throw new IllegalStateException("stage " + s + " step " + i + " is not deterministic");
        }
        SignedTensor gradMessage = null;
        if (s > 0) {
          gradMessage =
              SignedTensor.sign(
                  ctx.domain(),
                  members.get(s),
                  ctx.runId(),
                  ctx.round(),
                  lane,
                  i,
                  s,
                  s - 1,
                  o.inputGrad());
          transport.send(gradMessage);
        }
        // hashes of what was sent or received are known; the rest is hashed and stored off the
        // training thread, in step order
        StepRecord record =
            new StepRecord(
                s,
                i,
                states[s],
                o,
                inputs[s],
                upstream,
                inputMessages[s] == null ? null : inputMessages[s].header().tensorHash(),
                upstreamMessage == null ? null : upstreamMessage.header().tensorHash(),
                s < stages - 1 ? sentHashes[s] : null,
                gradMessage == null ? Bytes32.ZERO : gradMessage.header().tensorHash(),
                new StageArtifacts.StepInputs(
                    inputs[s], upstream, inputMessages[s], upstreamMessage));
        Address miner = miners[s];
        StageArtifacts stageArtifacts = artifacts[s];
        Future<StepLeaf> previous = i == 0 ? null : pending.get(s).get(i - 1);
        pending
            .get(s)
            .add(recorder.submit(() -> record(ctx, lane, miner, record, stageArtifacts, previous)));
        states[s] = o.after();
        if (s == stages - 1) {
          lossSum += o.loss();
        }
        if (s > 0) {
          upstreamMessage = receive(ctx, lane, i, s, s - 1, miners[s]);
          upstream = upstreamMessage.tensor();
        }
      }
    }
    for (int s = 0; s < stages; s++) {
      for (Future<StepLeaf> f : pending.get(s)) {
        leaves.get(s).add(join(f));
      }
    }
    List<StageRoundResult> results = new ArrayList<>(stages);
    for (int s = 0; s < stages; s++) {
      List<HostTensor> delta = delta(bases.get(s), states[s].params());
      double meanLoss = s == stages - 1 ? lossSum / trainSpec.innerSteps() : Double.NaN;
      StageRoundResult result =
          new StageRoundResult(
              s,
              lane,
              miners[s],
              RoundTree.of(leaves.get(s)),
              states[s],
              delta,
              TensorCodec.hashList(delta),
              baseHash[s],
              artifacts[s],
              meanLoss);
      sink.roundEnd(ctx, result);
      results.add(result);
    }
    return results;
  }

  private SignedTensor receive(
      RoundContext ctx, int lane, int step, int from, int to, Address expectedSender) {
    LaneTransport.MessageKey key =
        new LaneTransport.MessageKey(ctx.runId(), ctx.round(), lane, step, from, to);
    SignedTensor message =
        transport.receive(key).orElseThrow(() -> new LaneFailure("no message for " + key));
    message
        .problem(ctx.domain(), expectedSender)
        .ifPresent(
            p -> {
              throw new LaneFailure("refused message " + key + ": " + p);
            });
    return message;
  }

  /** What the recorder thread needs to build and store a step's leaf. */
  private record StepRecord(
      int stage,
      int step,
      StageState before,
      StepOutputs outputs,
      HostTensor input,
      HostTensor upstream,
      Bytes32 inputHash,
      Bytes32 upstreamHash,
      Bytes32 outputHash,
      Bytes32 inputGradHash,
      StageArtifacts.StepInputs recorded) {}

  private StepLeaf record(
      RoundContext ctx,
      int lane,
      Address miner,
      StepRecord r,
      StageArtifacts artifacts,
      Future<StepLeaf> previous) {
    int i = r.step();
    if (i % trainSpec.checkpointInterval() == 0) {
      artifacts.checkpoint(i, r.before());
      sink.checkpoint(ctx, r.stage(), lane, i, r.before());
    }
    Bytes32 before = previous == null ? r.before().paramsHash() : join(previous).paramsAfterHash();
    StepOutputs o = r.outputs();
    StepLeaf leaf =
        new StepLeaf(
            ctx.runId(),
            ctx.round(),
            miner,
            r.stage(),
            lane,
            i,
            before,
            r.before().optStateHash(),
            r.inputHash() != null ? r.inputHash() : TensorCodec.hash(r.input()),
            r.upstreamHash() != null ? r.upstreamHash() : TensorCodec.hash(r.upstream()),
            r.outputHash() != null ? r.outputHash() : o.outputHash(),
            r.inputGradHash(),
            o.paramGradHash(),
            o.after().paramsHash());
    artifacts.record(r.recorded(), leaf);
    sink.step(ctx, r.stage(), lane, r.recorded(), leaf);
    return leaf;
  }

  private static <T> T join(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while recording steps", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("recording a step failed", e.getCause());
    }
  }

  @Override
  public void close() {
    recorder.shutdownNow();
  }

  /** base - end, element-wise: the pseudo-gradient the outer step averages. */
  public static List<HostTensor> delta(List<HostTensor> base, List<HostTensor> end) {
    List<HostTensor> delta = new ArrayList<>(base.size());
    for (int k = 0; k < base.size(); k++) {
      float[] b = base.get(k).floats();
      float[] e = end.get(k).floats();
      float[] d = new float[b.length];
      for (int j = 0; j < d.length; j++) {
        d[j] = b[j] - e[j];
      }
      delta.add(HostTensor.of(d, base.get(k).shape()));
    }
    return delta;
  }

  /** A lane cannot go on: a peer's message is missing or refused. */
  public static final class LaneFailure extends RuntimeException {
    public LaneFailure(String message) {
      super(message);
    }
  }
}
