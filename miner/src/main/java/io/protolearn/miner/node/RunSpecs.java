package io.protolearn.miner.node;

import io.protolearn.chain.deploy.RunConfig;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import io.protolearn.training.data.Corpus;
import io.protolearn.training.model.ParamLayout;
import io.protolearn.training.model.StageState;
import io.protolearn.training.spec.DataSpec;
import io.protolearn.training.spec.ModelSpec;
import io.protolearn.training.spec.ReproProfile;
import io.protolearn.training.spec.TrainSpec;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The three spec documents of a run (DESIGN.md §2) as the miner knows them. The chain holds only
 * their hashes; a miner trains a run whose hashes match one of the spec sets it knows.
 *
 * <p>The run's single {@code initialCheckpointHash} is {@code keccak256(baseHash_0 ‖ … ‖
 * baseHash_{S-1})}: the per-stage round-0 bases (SHA-256 of each stage's initial parameters, a pure
 * function of the specs and the TrainSpec's seed) concatenated as 32-byte words.
 */
public record RunSpecs(ModelSpec model, DataSpec data, TrainSpec train) {

  /** Held-out tail of the corpus for the bundled spec sets: 10 %. */
  public static final int HELD_OUT_BPS = 1000;

  /**
   * A tiny model for devnets and CI: 2 stages of one block, d_model 32, context 16, K = 4 steps of
   * micro-batch 4, checkpoint every 2 steps.
   */
  public static RunSpecs devnet() {
    ModelSpec model = new ModelSpec(256, 32, 2, 2, 16, 64, List.of(1, 1));
    TrainSpec train =
        new TrainSpec(
            1e-2,
            0.9,
            0.95,
            1e-8,
            0.01,
            1.0,
            4,
            4,
            0.7,
            0.9,
            true,
            2,
            42L,
            TrainSpec.DEFAULT_TOLERANCE,
            ReproProfile.CPU_DEFAULT);
    return new RunSpecs(model, dataFor(model), train);
  }

  /** The training core's default model (about 0.9M parameters, 2 stages) and schedule. */
  public static RunSpecs standard() {
    return new RunSpecs(ModelSpec.DEFAULT, dataFor(ModelSpec.DEFAULT), TrainSpec.DEFAULT);
  }

  private static DataSpec dataFor(ModelSpec model) {
    return Corpus.bundled(HELD_OUT_BPS).dataSpec(model.contextLength(), HELD_OUT_BPS);
  }

  /** The spec sets this miner can train. */
  public static List<RunSpecs> known() {
    return List.of(devnet(), standard());
  }

  /** The known spec set whose hashes are those registered for the run, if any. */
  public static Optional<RunSpecs> matching(
      Bytes32 modelSpecHash,
      Bytes32 dataSpecHash,
      Bytes32 trainSpecHash,
      Bytes32 initialCheckpointHash) {
    for (RunSpecs s : known()) {
      if (s.model.hash().equals(modelSpecHash)
          && s.data.hash().equals(dataSpecHash)
          && s.train.hash().equals(trainSpecHash)
          && s.initialCheckpointHash().equals(initialCheckpointHash)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  public int stages() {
    return model.stages();
  }

  /** Tokens per sequence (the model's context length, as the lane runner uses). */
  public int seqLength() {
    return model.contextLength();
  }

  public Bytes32 dataRoot() {
    return Bytes32.fromHex(data.dataRoot());
  }

  /** The round-0 parameters of a stage. */
  public List<HostTensor> initialParams(int stage) {
    return StageState.initialParams(ParamLayout.of(model, stage), train.seed());
  }

  /** The round-0 base hash of every stage. */
  public List<Bytes32> initialBaseHashes() {
    List<Bytes32> out = new ArrayList<>();
    for (int s = 0; s < stages(); s++) {
      out.add(TensorCodec.hashList(initialParams(s)));
    }
    return out;
  }

  public Bytes32 initialCheckpointHash() {
    ByteArrayOutputStream words = new ByteArrayOutputStream();
    for (Bytes32 h : initialBaseHashes()) {
      words.writeBytes(h.bytes());
    }
    return new Bytes32(Keccak.keccak256(words.toByteArray()));
  }

  /** A devnet run of these specs with the training core's canonical hashes. */
  public RunConfig devnetRunConfig(int maxStepsPerRound) {
    return RunConfig.devnet(
        model.hash(),
        data.hash(),
        train.hash(),
        dataRoot(),
        initialCheckpointHash(),
        stages(),
        maxStepsPerRound);
  }
}
