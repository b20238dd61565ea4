package io.protolearn.training.lane;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.data.Batch;
import io.protolearn.training.data.Corpus;
import io.protolearn.training.lane.LaneTransport.MessageKey;
import io.protolearn.training.lane.StepStrategy.StepView;
import io.protolearn.training.model.StageState;
import io.protolearn.training.model.StageTrainer;
import io.protolearn.training.model.StepOutputs;
import io.protolearn.training.spec.TrainSpec;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The K inner steps of one miner's stage in its lane (DESIGN.md §3–4), the one implementation of
 * the step: the miner node runs it over HTTP, {@link LaneRunner} runs one per stage over an
 * in-process transport. Stage s receives activations from s-1, sends its own to s+1, receives the
 * gradient from s+1, runs the deterministic step and sends the input gradient back to s-1. Every
 * message taken is checked against its signed hash and its lane peer. Every step's checkpoint
 * (every c steps), inputs, received signatures and leaf go to the {@link StepSink}, which is told
 * when the round ends. A {@link LaneFailure} (peer silent or refusing, commit deadline near) ends
 * the round early with the steps done so far.
 *
 * <p>A non-last stage runs its forward twice (once to send activations, once inside the step that
 * also runs backward): activation recomputation, so a step is one pure function that a validator
 * reruns as is. The two outputs must hash the same; a difference is a bug and stops the lane.
 */
public final class StageRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

  /** A round's work of this stage; null tree when no step completed. */
  public record Result(
      List<StepLeaf> leaves,
      RoundTree tree,
      StageState end,
      List<HostTensor> delta,
      Bytes32 deltaHash,
      Bytes32 baseHash,
      double meanLoss,
      Optional<String> failure) {
    public Result {
      leaves = List.copyOf(leaves);
    }

    public int stepCount() {
      return leaves.size();
    }
  }

  /** Called after each completed step (progress output, metrics). */
  @FunctionalInterface
  public interface StepListener {
    StepListener NONE = (step, of, loss) -> {};

    void stepDone(int step, int of, double loss);
  }

  /** Where one round of this stage runs: its lane, the lane's members (one per stage), the link. */
  private record Seat(RoundContext ctx, int lane, List<Address> members, LaneTransport transport) {}

  /**
   * A finished step: its leaf, the state after it, whether it was computed and its loss (NaN but on
   * the last stage's computed steps).
   */
  private record Done(StepLeaf leaf, StageState after, boolean computed, double loss) {}

  private final StageTrainer trainer;
  private final int stage;
  private final TrainSpec train;
  private final Corpus corpus;
  private final Secp256k1.KeyPair key;
  private final StepSink sink;
  private final StepStrategy strategy;

  public StageRunner(
      StageTrainer trainer,
      int stage,
      TrainSpec train,
      Corpus corpus,
      Secp256k1.KeyPair key,
      StepSink sink,
      StepStrategy strategy) {
    this.trainer = trainer;
    this.stage = stage;
    this.train = train;
    this.corpus = corpus;
    this.key = key;
    this.sink = sink;
    this.strategy = strategy;
  }

  /**
   * Runs up to {@code k} steps of this stage from {@code base} in lane {@code lane}, whose member
   * of stage s is {@code members.get(s)}.
   */
  public Result run(
      RoundContext ctx,
      int lane,
      List<Address> members,
      List<HostTensor> base,
      int k,
      LaneTransport transport,
      StepListener listener) {
    Seat seat = new Seat(ctx, lane, List.copyOf(members), transport);
    boolean last = stage == members.size() - 1;
    StageState state = StageState.fresh(base);
    Bytes32 baseHash = state.paramsHash();
    List<StepLeaf> leaves = new ArrayList<>();
    double lossSum = 0;
    Optional<String> failure = Optional.empty();
    for (int i = 0; i < k; i++) {
      try {
        Done done = step(seat, i, state);
        leaves.add(done.leaf());
        state = done.after();
        if (last && done.computed()) {
          lossSum += done.loss();
        }
        listener.stepDone(i, k, done.loss());
      } catch (LaneFailure e) {
        failure = Optional.of(e.getMessage());
        LOG.warn(
            "round {} lane {} stopped after {} of {} steps: {}",
            ctx.round(),
            lane,
            leaves.size(),
            k,
            e.getMessage());
        break;
      }
    }
    List<HostTensor> delta = delta(base, state.params());
    double meanLoss = last && !leaves.isEmpty() ? lossSum / leaves.size() : Double.NaN;
    RoundTree tree = leaves.isEmpty() ? null : RoundTree.of(leaves);
    if (!leaves.isEmpty()) {
      sink.roundEnd(ctx, stage, lane, leaves.size());
    }
    return new Result(
        leaves, tree, state, delta, TensorCodec.hashList(delta), baseHash, meanLoss, failure);
  }

  /** Step {@code i}: receive, compute (or fabricate), record, send the gradient back. */
  private Done step(Seat seat, int i, StageState state) {
    int s = stage;
    boolean last = s == seat.members().size() - 1;
    Batch batch =
        corpus.batch(
            seat.ctx().runId(),
            seat.ctx().round(),
            seat.lane(),
            seat.members().get(0),
            i,
            train.microBatch(),
            (int) trainer.modelSpec().contextLength());
    SignedTensor inputMessage = s == 0 ? null : receive(seat, i, s - 1);
    HostTensor input = s == 0 ? batch.inputs() : inputMessage.tensor();
    SignedTensor outputMessage = null;
    SignedTensor upstreamMessage = null;
    HostTensor upstream = batch.labels();
    if (!last) {
      HostTensor out = trainer.forward(state, input);
      outputMessage = sign(seat, i, s + 1, out);
      HostTensor sent = strategy.outgoingActivations(out);
      send(seat, sent == out ? outputMessage : sign(seat, i, s + 1, sent));
      upstreamMessage = receive(seat, i, s + 1);
      upstream = upstreamMessage.tensor();
    }
    StepView view =
        new StepView(
            seat.ctx(),
            seat.lane(),
            s,
            i,
            seat.members().get(s),
            state,
            input,
            upstream,
            inputMessage,
            upstreamMessage,
            outputMessage);
    Optional<StepStrategy.Fabricated> fabricated = strategy.fabricate(view);
    if (fabricated.isPresent()) {
      record(view, fabricated.get().leaf());
      if (s > 0) {
        send(seat, sign(seat, i, s - 1, fabricated.get().inputGrad()));
      }
      return new Done(fabricated.get().leaf(), state, false, Double.NaN);
    }
    StepOutputs o = trainer.step(state, input, upstream);
    if (outputMessage != null && !o.output().sameAs(outputMessage.tensor())) {
      throw new IllegalStateException("stage " + s + " step " + i + " is not deterministic");
    }
    SignedTensor gradMessage = s == 0 ? null : sign(seat, i, s - 1, o.inputGrad());
    StepLeaf leaf =
        view.leaf(
            outputMessage != null ? outputMessage.header().tensorHash() : o.outputHash(),
            gradMessage == null ? Bytes32.ZERO : gradMessage.header().tensorHash(),
            o.paramGradHash(),
            o.after().paramsHash());
    record(view, leaf);
    if (gradMessage != null) {
      send(seat, gradMessage);
    }
    return new Done(leaf, o.after(), true, last ? o.loss() : Double.NaN);
  }

  private SignedTensor sign(Seat seat, int step, int toStage, HostTensor tensor) {
    RoundContext ctx = seat.ctx();
    return SignedTensor.sign(
        ctx.domain(), key, ctx.runId(), ctx.round(), seat.lane(), step, stage, toStage, tensor);
  }

  private void send(Seat seat, SignedTensor message) {
    seat.transport().send(message, seat.members().get(message.header().toStage()));
  }

  /** The message of step {@code step} from stage {@code from}, checked against its lane peer. */
  private SignedTensor receive(Seat seat, int step, int from) {
    RoundContext ctx = seat.ctx();
    MessageKey key = new MessageKey(ctx.runId(), ctx.round(), seat.lane(), step, from, stage);
    Address peer = seat.members().get(from);
    SignedTensor message = seat.transport().await(key, peer);
    Optional<String> problem = message.problem(ctx.domain(), peer);
    if (problem.isPresent()) {
      throw new LaneFailure("refused message " + key + ": " + problem.get());
    }
    return message;
  }

  private void record(StepView view, StepLeaf leaf) {
    if (view.step() % train.checkpointInterval() == 0) {
      sink.checkpoint(view.ctx(), stage, view.lane(), view.step(), view.before());
    }
    sink.step(view.ctx(), stage, view.lane(), view.inputs(), leaf);
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
}
