package io.protolearn.training.data;

import io.protolearn.protocol.crypto.AbiEncoder;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Hex;
import io.protolearn.protocol.crypto.Keccak;
import io.protolearn.training.spec.CanonicalJson;
import io.protolearn.training.spec.DataSpec;
import io.protolearn.training.tensor.HostTensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's text, byte-tokenized, and the deterministic batch selection of DESIGN.md §3.
 *
 * <p>The last {@code heldOutBps} of the bytes are held out for evaluation. A training window is B
 * consecutive sequences of T+1 tokens with stride T, starting at any byte of the training split, so
 * {@code corpusWindows = trainBytes - B*T}. The window of step i of a lane is {@code
 * uint256(keccak256(abi.encode(runId, round, lane, laneStage0Miner, i))) mod corpusWindows}: anyone
 * with the corpus rebuilds any lane's batch.
 */
public final class Corpus {
  /** The bundled corpus: Jane Austen, Pride and Prejudice (public domain). */
  public static final String DEFAULT_ID = "austen-pride-and-prejudice-v1";

  private static final String DEFAULT_RESOURCE = "/corpus/pride-and-prejudice.txt";

  private final String id;
  private final byte[] bytes;
  private final int trainLength;

  private Corpus(String id, byte[] bytes, int heldOutBps) {
    this.id = id;
    this.bytes = bytes;
    this.trainLength = (int) ((long) bytes.length * (10_000 - heldOutBps) / 10_000);
  }

  public static Corpus of(String id, byte[] bytes, int heldOutBps) {
    return new Corpus(id, bytes.clone(), heldOutBps);
  }

  /** The bundled corpus with a held-out split of {@code heldOutBps}. */
  public static Corpus bundled(int heldOutBps) {
    try (InputStream in = Corpus.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("bundled corpus missing: " + DEFAULT_RESOURCE);
      }
      return new Corpus(DEFAULT_ID, in.readAllBytes(), heldOutBps);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The corpus of a DataSpec, checked against its dataRoot. */
  public static Corpus forSpec(DataSpec spec) {
    if (!DEFAULT_ID.equals(spec.corpusId())) {
      throw new IllegalArgumentException("unknown corpus " + spec.corpusId());
    }
    Corpus corpus = bundled(spec.heldOutBps());
    if (!corpus.dataRoot().equalsIgnoreCase(spec.dataRoot())) {
      throw new IllegalStateException("corpus bytes do not match the run's dataRoot");
    }
    return corpus;
  }

  /** The DataSpec of this corpus for a sequence length. */
  public DataSpec dataSpec(int seqLength, int heldOutBps) {
    return new DataSpec(id, dataRoot(), DataSpec.BYTE_TOKENIZER, seqLength, heldOutBps);
  }

  /** SHA-256 of the corpus bytes, 0x-hex: the run's dataRoot. */
  public String dataRoot() {
    return Hex.encode(CanonicalJson.sha256(bytes));
  }

  public int size() {
    return bytes.length;
  }

  public int trainLength() {
    return trainLength;
  }

  public long windows(int batchSize, int seqLength) {
    return trainLength - (long) batchSize * seqLength;
  }

  /** The sample index of step {@code step} of a lane (DESIGN.md §3). */
  public long sampleIndex(
      long runId,
      long round,
      int lane,
      Address stage0Miner,
      int step,
      int batchSize,
      int seqLength) {
    byte[] h =
        Keccak.keccak256(
            AbiEncoder.create()
                .uint(runId)
                .uint(round)
                .uint(lane)
                .address(stage0Miner)
                .uint(step)
                .toBytes());
    return new BigInteger(1, h).mod(BigInteger.valueOf(windows(batchSize, seqLength))).longValue();
  }

  public Batch batch(
      long runId,
      long round,
      int lane,
      Address stage0Miner,
      int step,
      int batchSize,
      int seqLength) {
    long index = sampleIndex(runId, round, lane, stage0Miner, step, batchSize, seqLength);
    return window((int) index, batchSize, seqLength);
  }

  /** B sequences starting at {@code start}, stride T. */
  public Batch window(int start, int batchSize, int seqLength) {
    int[] in = new int[batchSize * seqLength];
    int[] out = new int[batchSize * seqLength];
    for (int b = 0; b < batchSize; b++) {
      int base = start + b * seqLength;
      for (int t = 0; t < seqLength; t++) {
        in[b * seqLength + t] = bytes[base + t] & 0xff;
        out[b * seqLength + t] = bytes[base + t + 1] & 0xff;
      }
    }
    return new Batch(
        HostTensor.ofInts(in, batchSize, seqLength),
        HostTensor.ofInts(out, batchSize, seqLength),
        start);
  }

  /**
   * The held-out evaluation set: {@code count} batches of non-overlapping sequences from the start
   * of the held-out split (the same for everyone).
   */
  public List<Batch> heldOut(int count, int batchSize, int seqLength) {
    List<Batch> batches = new ArrayList<>(count);
    int start = trainLength;
    for (int i = 0; i < count; i++) {
      if (start + batchSize * seqLength + 1 > bytes.length) {
        throw new IllegalArgumentException("held-out split too small for " + count + " batches");
      }
      batches.add(window(start, batchSize, seqLength));
      start += batchSize * seqLength;
    }
    return batches;
  }

  /** Concatenates batches along the batch axis (the centralized baseline's big batch). */
  public static Batch concat(List<Batch> parts) {
    int total = parts.stream().mapToInt(p -> p.inputs().size()).sum();
    int seq = (int) parts.get(0).inputs().shape()[1];
    int[] in = new int[total];
    int[] out = new int[total];
    int off = 0;
    for (Batch p : parts) {
      System.arraycopy(p.inputs().ints(), 0, in, off, p.inputs().size());
      System.arraycopy(p.labels().ints(), 0, out, off, p.labels().size());
      off += p.inputs().size();
    }
    return new Batch(
        HostTensor.ofInts(in, total / seq, seq), HostTensor.ofInts(out, total / seq, seq), -1);
  }
}
