package io.protolearn.miner.node;

import io.protolearn.node.store.StepKey;
import io.protolearn.node.store.StepStore;
import io.protolearn.node.store.StepStore.ArtifactKind;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.data.Batch;
import io.protolearn.training.data.Corpus;
import io.protolearn.training.lane.LaneRunner;
import io.protolearn.training.lane.LaneRunner.LaneFailure;
import io.protolearn.training.lane.LaneTransport.MessageKey;
import io.protolearn.training.lane.SignedTensor;
import io.protolearn.training.model.StageState;
import io.protolearn.training.model.StageTrainer;
import io.protolearn.training.model.StepOutputs;
import io.protolearn.training.spec.RunSpecs;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The K inner steps of this miner's stage in its lane (the one-stage counterpart of the training
 * core's {@code LaneRunner}): stage s receives activations from s-1, sends its own to s+1, receives
 * the gradient from s+1, runs the deterministic step and sends the input gradient back to s-1.
 * Every step's checkpoint (every c steps), inputs, received signatures and leaf go to the step
 * store; the round is sealed (synced) at its end. A lane failure (peer silent or refusing, commit
 * deadline near) ends the round early with the steps done so far.
 */
final class StageRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

  /** A round's work of this stage; empty tree when no step completed. */
  record Result(
      List<StepLeaf> leaves,
      RoundTree tree,
      StageState end,
      List<HostTensor> delta,
      Bytes32 deltaHash,
      Bytes32 baseHash,
      double meanLoss,
      Optional<String> failure) {
    int stepCount() {
      return leaves.size();
    }
  }

  /** Called after each completed step (progress output, metrics). */
  interface StepListener {
    void stepDone(int step, int of, double loss);
  }

  private final StageTrainer trainer;
  private final RunSpecs specs;
  private final Corpus corpus;
  private final StepStore store;
  private final Secp256k1.KeyPair key;
  private final TensorMessage.Domain domain;
  private final Adversary adversary;

  StageRunner(
      StageTrainer trainer,
      RunSpecs specs,
      Corpus corpus,
      StepStore store,
      Secp256k1.KeyPair key,
      TensorMessage.Domain domain) {
    this(trainer, specs, corpus, store, key, domain, Adversary.HONEST);
  }

  StageRunner(
      StageTrainer trainer,
      RunSpecs specs,
      Corpus corpus,
      StepStore store,
      Secp256k1.KeyPair key,
      TensorMessage.Domain domain,
      Adversary adversary) {
    this.adversary = adversary;
    this.trainer = trainer;
    this.specs = specs;
    this.corpus = corpus;
    this.store = store;
    this.key = key;
    this.domain = domain;
  }

  Result run(RoundPlan plan, List<HostTensor> base, int k, LaneLink link, StepListener listener) {
    int s = plan.stage();
    int last = plan.stages() - 1;
    long runId = plan.runId();
    long round = plan.round();
    int lane = plan.lane();
    StageState state = StageState.fresh(base);
    Bytes32 baseHash = state.paramsHash();
    List<StepLeaf> leaves = new ArrayList<>();
    double lossSum = 0;
    Optional<String> failure = Optional.empty();
    for (int i = 0; i < k; i++) {
      try {
        Batch batch =
            corpus.batch(
                runId,
                round,
                lane,
                plan.stage0Miner(),
                i,
                specs.train().microBatch(),
                specs.seqLength());
        SignedTensor inputMessage =
            s == 0
                ? null
                : link.await(new MessageKey(runId, round, lane, i, s - 1, s), peer(plan, s - 1));
        HostTensor input = s == 0 ? batch.inputs() : inputMessage.tensor();
        SignedTensor outputMessage = null;
        SignedTensor upstreamMessage = null;
        HostTensor upstream = batch.labels();
        if (s < last) {
          HostTensor out = trainer.forward(state, input);
          outputMessage = SignedTensor.sign(domain, key, runId, round, lane, i, s, s + 1, out);
          HostTensor sent = adversary.outgoingActivations(out);
          link.send(
              sent == out
                  ? outputMessage
                  : SignedTensor.sign(domain, key, runId, round, lane, i, s, s + 1, sent),
              peer(plan, s + 1));
          upstreamMessage =
              link.await(new MessageKey(runId, round, lane, i, s + 1, s), peer(plan, s + 1));
          upstream = upstreamMessage.tensor();
        }
        if (adversary.skips(i)) {
          StepLeaf leaf =
              LazySteps.fabricate(
                  plan, i, state, input, upstream, inputMessage, upstreamMessage, outputMessage);
          record(plan, i, state, input, upstream, inputMessage, upstreamMessage, leaf);
          leaves.add(leaf);
          listener.stepDone(i, k, Double.NaN);
          if (s > 0) {
            link.send(
                SignedTensor.sign(
                    domain, key, runId, round, lane, i, s, s - 1, LazySteps.zerosLike(input)),
                peer(plan, s - 1));
          }
          continue;
        }
        StepOutputs o = trainer.step(state, input, upstream);
        if (outputMessage != null && !o.output().sameAs(outputMessage.tensor())) {
          throw new IllegalStateException("stage " + s + " step " + i + " is not deterministic");
        }
        SignedTensor gradMessage =
            s == 0
                ? null
                : SignedTensor.sign(domain, key, runId, round, lane, i, s, s - 1, o.inputGrad());
        StepLeaf leaf =
            new StepLeaf(
                runId,
                round,
                plan.self(),
                s,
                lane,
                i,
                state.paramsHash(),
                state.optStateHash(),
                inputMessage != null ? inputMessage.header().tensorHash() : TensorCodec.hash(input),
                upstreamMessage != null
                    ? upstreamMessage.header().tensorHash()
                    : TensorCodec.hash(upstream),
                outputMessage != null ? outputMessage.header().tensorHash() : o.outputHash(),
                gradMessage == null ? Bytes32.ZERO : gradMessage.header().tensorHash(),
                o.paramGradHash(),
                o.after().paramsHash());
        record(plan, i, state, input, upstream, inputMessage, upstreamMessage, leaf);
        leaves.add(leaf);
        state = o.after();
        if (s == last) {
          lossSum += o.loss();
        }
        listener.stepDone(i, k, s == last ? o.loss() : Double.NaN);
        if (gradMessage != null) {
          link.send(gradMessage, peer(plan, s - 1));
        }
      } catch (LaneFailure e) {
        failure = Optional.of(e.getMessage());
        LOG.warn(
            "round {} lane {} stopped after {} of {} steps: {}",
            round,
            lane,
            leaves.size(),
            k,
            e.getMessage());
        break;
      }
    }
    List<HostTensor> delta = LaneRunner.delta(base, state.params());
    double meanLoss = s == last && !leaves.isEmpty() ? lossSum / leaves.size() : Double.NaN;
    RoundTree tree = leaves.isEmpty() ? null : RoundTree.of(leaves);
    if (!leaves.isEmpty()) {
      store.sealRound(runId, round, s, lane, leaves.size());
    }
    return new Result(
        leaves, tree, state, delta, TensorCodec.hashList(delta), baseHash, meanLoss, failure);
  }

  private static Address peer(RoundPlan plan, int stage) {
    return plan.peerAt(stage).orElseThrow();
  }

  private void record(
      RoundPlan plan,
      int i,
      StageState before,
      HostTensor input,
      HostTensor upstream,
      SignedTensor inputMessage,
      SignedTensor upstreamMessage,
      StepLeaf leaf) {
    StepKey k = new StepKey(plan.runId(), plan.round(), plan.stage(), plan.lane(), i);
    if (i % specs.train().checkpointInterval() == 0) {
      store.putCheckpoint(k, before.encode());
    }
    store.putArtifact(k, ArtifactKind.INPUT, TensorCodec.encode(input));
    store.putArtifact(k, ArtifactKind.UPSTREAM, TensorCodec.encode(upstream));
    if (inputMessage != null) {
      store.putArtifact(k, ArtifactKind.INPUT_MESSAGE, inputMessage.signature());
    }
    if (upstreamMessage != null) {
      store.putArtifact(k, ArtifactKind.UPSTREAM_MESSAGE, upstreamMessage.signature());
    }
    store.putLeaf(k, leaf.abiEncode());
  }
}
