package io.protolearn.node.artifact;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Hex;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.StepLeaf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire format of docs/NODE-API.md, written once for the miner's routes, the clients of
 * validators, jurors and stage peers, and the tests: the paths, the JSON of a leaf and of a
 * commitment, and the JSON of a signed tensor header. Every {@code decode*} throws {@link
 * IllegalArgumentException} on anything but what the matching {@code encode*} writes.
 */
public final class ArtifactApi {
  /** Lane tensors, pushed by a lane peer. */
  public static final String LANE_TENSOR = "/v1/lane/tensor";

  /** The request header carrying a lane tensor's signed {@link TensorMessage}. */
  public static final String TENSOR_HEADER = "X-Protolearn-Tensor-Header";

  /** Route patterns (Vert.x syntax) of the artifact routes. */
  public static final String COMMITMENT_ROUTE = "/v1/rounds/:round/commitment";

  public static final String LEAF_ROUTE = "/v1/rounds/:round/steps/:step/leaf";
  public static final String EVIDENCE_ROUTE = "/v1/rounds/:round/steps/:step/evidence";
  public static final String DELTA_ROUTE = "/v1/rounds/:round/delta";

  /** A validator's re-served verified update, by its committed hash (DESIGN §7 v2). */
  public static final String VERIFIED_DELTA_ROUTE = "/v1/deltas/:hash";

  /** The most proof hashes a leaf response may carry (a tree of 2^64 leaves). */
  public static final int MAX_PROOF = 64;

  private static final int LEAF_VALUES = 14;

  private ArtifactApi() {}

  // ---- paths ----

  public static String commitmentPath(long round) {
    return "/v1/rounds/" + round + "/commitment";
  }

  public static String leafPath(long round, long step) {
    return "/v1/rounds/" + round + "/steps/" + step + "/leaf";
  }

  public static String evidencePath(long round, long step) {
    return "/v1/rounds/" + round + "/steps/" + step + "/evidence";
  }

  public static String deltaPath(long round) {
    return "/v1/rounds/" + round + "/delta";
  }

  public static String verifiedDeltaPath(Bytes32 hash) {
    return "/v1/deltas/" + hash.toHex();
  }

  // ---- leaf ----

  /** {@code {"leaf": [14 values as strings, StepLeaf's ABI order], "proof": ["0x…", …]}}. */
  public static JsonObject encodeLeaf(ProvenLeaf proven) {
    StepLeaf l = proven.leaf();
    JsonArray values =
        new JsonArray(
            List.of(
                Long.toString(l.runId()),
                Long.toString(l.round()),
                l.miner().toChecksumHex(),
                Integer.toString(l.stage()),
                Integer.toString(l.lane()),
                Integer.toString(l.step()),
                l.paramsBeforeHash().toHex(),
                l.optStateBeforeHash().toHex(),
                l.inputHash().toHex(),
                l.upstreamGradHash().toHex(),
                l.outputHash().toHex(),
                l.inputGradHash().toHex(),
                l.paramGradHash().toHex(),
                l.paramsAfterHash().toHex()));
    JsonArray proof = new JsonArray();
    proven.proof().forEach(p -> proof.add(p.toHex()));
    return new JsonObject().put("leaf", values).put("proof", proof);
  }

  public static ProvenLeaf decodeLeaf(byte[] body) {
    try {
      JsonObject json = new JsonObject(Buffer.buffer(body));
      JsonArray v = json.getJsonArray("leaf");
      JsonArray proofJson = json.getJsonArray("proof");
      if (v == null || v.size() != LEAF_VALUES || proofJson == null) {
        throw new IllegalArgumentException("a leaf of 14 values and a proof expected");
      }
      if (proofJson.size() > MAX_PROOF) {
        throw new IllegalArgumentException("proof longer than " + MAX_PROOF);
      }
      StepLeaf leaf =
          new StepLeaf(
              num(v, 0),
              num(v, 1),
              Address.fromHex(v.getString(2)),
              (int) num(v, 3),
              (int) num(v, 4),
              (int) num(v, 5),
              hash(v, 6),
              hash(v, 7),
              hash(v, 8),
              hash(v, 9),
              hash(v, 10),
              hash(v, 11),
              hash(v, 12),
              hash(v, 13));
      List<Bytes32> proof = new ArrayList<>();
      for (int i = 0; i < proofJson.size(); i++) {
        proof.add(hash(proofJson, i));
      }
      return new ProvenLeaf(leaf, proof);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(String.valueOf(e.getMessage()), e);
    }
  }

  // ---- commitment ----

  /** {@code {"root", "stepCount", "deltaHash", "baseHash", "lane", "stage"}}, hashes in hex. */
  public static JsonObject encodeCommitment(ServedCommitment served) {
    Commitment c = served.commitment();
    return new JsonObject()
        .put("root", c.root().toHex())
        .put("stepCount", c.stepCount())
        .put("deltaHash", c.deltaHash().toHex())
        .put("baseHash", c.baseHash().toHex())
        .put("lane", served.lane())
        .put("stage", served.stage());
  }

  public static ServedCommitment decodeCommitment(byte[] body) {
    try {
      JsonObject json = new JsonObject(Buffer.buffer(body));
      return new ServedCommitment(
          new Commitment(
              Bytes32.fromHex(json.getString("root")),
              json.getLong("stepCount"),
              Bytes32.fromHex(json.getString("deltaHash")),
              Bytes32.fromHex(json.getString("baseHash"))),
          json.getInteger("lane"),
          json.getInteger("stage"));
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(String.valueOf(e.getMessage()), e);
    }
  }

  // ---- tensor header ----

  /** A lane tensor's header as sent: the signed message and its sender's EIP-712 signature. */
  public record TensorHeader(TensorMessage message, byte[] signature) {}

  /**
   * {@code {"runId", "round", "lane", "step", "fromStage", "toStage", "tensorHash": "0x…",
   * "signature": "0x…"}}: the {@link #TENSOR_HEADER} value.
   */
  public static String encodeTensorHeader(TensorMessage h, byte[] signature) {
    return new JsonObject()
        .put("runId", h.runId())
        .put("round", h.round())
        .put("lane", h.lane())
        .put("step", h.step())
        .put("fromStage", h.fromStage())
        .put("toStage", h.toStage())
        .put("tensorHash", h.tensorHash().toHex())
        .put("signature", Hex.encode(signature))
        .encode();
  }

  public static TensorHeader decodeTensorHeader(String text) {
    try {
      JsonObject h = new JsonObject(text);
      TensorMessage message =
          new TensorMessage(
              h.getLong("runId"),
              h.getLong("round"),
              h.getInteger("lane"),
              h.getInteger("step"),
              h.getInteger("fromStage"),
              h.getInteger("toStage"),
              Bytes32.fromHex(h.getString("tensorHash")));
      return new TensorHeader(message, Hex.decode(h.getString("signature")));
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(String.valueOf(e.getMessage()), e);
    }
  }

  private static long num(JsonArray a, int i) {
    BigInteger v = new BigInteger(a.getString(i));
    if (v.signum() < 0 || v.bitLength() > 62) {
      throw new IllegalArgumentException("leaf value " + i + " out of range");
    }
    return v.longValueExact();
  }

  private static Bytes32 hash(JsonArray a, int i) {
    return Bytes32.fromHex(a.getString(i));
  }
}
