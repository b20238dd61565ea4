package io.protolearn.training.verify;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.model.StageState;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-contained binary form of {@link StepEvidence} (for moving evidence between processes and
 * for storage): big-endian framing of length-prefixed canonical tensors, ABI-encoded leaves and raw
 * hashes. Served tensors are not encoded (exact mode).
 */
public final class EvidenceCodec {
  private static final int VERSION = 1;

  private EvidenceCodec() {}

  public static byte[] encode(StepEvidence e) {
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes)) {
      StepEvidence.Commitment c = e.commitment();
      out.writeInt(VERSION);
      out.writeLong(c.runId());
      out.writeLong(c.round());
      blob(out, c.miner().bytes());
      out.writeInt(c.stage());
      out.writeInt(c.lane());
      blob(out, c.root().bytes());
      blob(out, c.baseHash().bytes());
      blob(out, c.previousMiner() == null ? null : c.previousMiner().bytes());
      blob(out, c.nextMiner() == null ? null : c.nextMiner().bytes());
      blob(out, c.laneStage0Miner().bytes());
      out.writeLong(c.domain().chainId());
      blob(out, c.domain().verifyingContract().bytes());
      out.writeInt(e.checkpointStep());
      blob(out, e.checkpoint().encode());
      out.writeInt(e.steps().size());
      for (StepEvidence.StepRecord r : e.steps()) {
        blob(out, r.leaf().abiEncode());
        out.writeInt(r.proof().size());
        for (Bytes32 p : r.proof()) {
          out.write(p.bytes());
        }
        blob(out, TensorCodec.encode(r.input()));
        blob(out, TensorCodec.encode(r.upstream()));
        blob(out, r.inputSignature());
        blob(out, r.upstreamSignature());
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** Decodes evidence; IllegalArgumentException on malformed bytes. */
  public static StepEvidence decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readInt() != VERSION) {
        throw new IllegalArgumentException("unknown evidence version");
      }
      long runId = in.readLong();
      long round = in.readLong();
      Address miner = new Address(blob(in));
      int stage = in.readInt();
      int lane = in.readInt();
      Bytes32 root = new Bytes32(blob(in));
      Bytes32 base = new Bytes32(blob(in));
      byte[] prev = blob(in);
      byte[] next = blob(in);
      Address stage0 = new Address(blob(in));
      long chainId = in.readLong();
      Address contract = new Address(blob(in));
      StepEvidence.Commitment c =
          new StepEvidence.Commitment(
              runId,
              round,
              miner,
              stage,
              lane,
              root,
              base,
              prev == null ? null : new Address(prev),
              next == null ? null : new Address(next),
              stage0,
              new TensorMessage.Domain(chainId, contract));
      int checkpointStep = in.readInt();
      StageState checkpoint = StageState.decode(blob(in));
      int n = in.readInt();
      List<StepEvidence.StepRecord> steps = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        StepLeaf leaf = StepLeaf.abiDecode(blob(in));
        int proofLength = in.readInt();
        List<Bytes32> proof = new ArrayList<>();
        for (int p = 0; p < proofLength; p++) {
          proof.add(new Bytes32(in.readNBytes(32)));
        }
        HostTensor input = TensorCodec.decode(blob(in));
        HostTensor upstream = TensorCodec.decode(blob(in));
        steps.add(
            new StepEvidence.StepRecord(leaf, proof, input, upstream, blob(in), blob(in), null));
      }
      return new StepEvidence(c, checkpointStep, checkpoint, steps);
    } catch (IOException ex) {
      throw new IllegalArgumentException("truncated evidence", ex);
    }
  }

  private static void blob(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] blob(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n == -1) {
      return null;
    }
    if (n < 0 || n > in.available()) {
      throw new IllegalArgumentException("bad length " + n);
    }
    return in.readNBytes(n);
  }
}
