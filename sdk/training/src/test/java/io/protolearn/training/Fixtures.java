package io.protolearn.training;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.training.data.Corpus;
import io.protolearn.training.lane.InMemoryLaneTransport;
import io.protolearn.training.lane.RoundRunner;
import io.protolearn.training.lane.StepSink;
import io.protolearn.training.spec.DataSpec;
import io.protolearn.training.spec.ModelSpec;
import io.protolearn.training.spec.TrainSpec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Tiny specs that train in milliseconds, deterministic keys, and in-process rounds. */
public final class Fixtures {
  public static final ModelSpec TINY = new ModelSpec(256, 32, 2, 2, 16, 64, List.of(1, 1));
  public static final TrainSpec TRAIN = TrainSpec.DEFAULT.withSchedule(4, 2, 2);
  public static final Corpus CORPUS = Corpus.bundled(1000);
  public static final DataSpec DATA = CORPUS.dataSpec(16, 1000);
  public static final long RUN_ID = 7;
  public static final TensorMessage.Domain DOMAIN =
      new TensorMessage.Domain(
          31337, Address.fromHex("0x5fbdb2315678afecb367f032d93f642f64180aa3"));

  private Fixtures() {}

  public static Secp256k1.KeyPair key(int i) {
    return Secp256k1.fromPrivateKey(BigInteger.valueOf(1000 + i));
  }

  /** keys[lane][stage]. */
  public static List<List<Secp256k1.KeyPair>> lanes(int lanes, int stages) {
    List<List<Secp256k1.KeyPair>> keys = new ArrayList<>();
    for (int l = 0; l < lanes; l++) {
      List<Secp256k1.KeyPair> lane = new ArrayList<>();
      for (int s = 0; s < stages; s++) {
        lane.add(key(l * stages + s));
      }
      keys.add(lane);
    }
    return keys;
  }

  public static RoundRunner runner(ModelSpec model, TrainSpec train, int lanes) {
    return new RoundRunner(
        model,
        train,
        CORPUS,
        RUN_ID,
        DOMAIN,
        lanes(lanes, model.stages()),
        new InMemoryLaneTransport(),
        StepSink.NONE);
  }
}
