package io.protolearn.node.artifact;

import io.protolearn.node.http.Fetched;
import io.protolearn.node.http.RequestSigner;
import io.protolearn.node.http.SignedHttpClient;
import io.protolearn.node.http.SignedHttpClient.Limits;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * The client of a miner's artifact routes (docs/NODE-API.md), for validators, jurors and stage
 * peers: signed GETs through {@link SignedHttpClient} (deadline, size limit counted while the body
 * streams in), decoded with {@link ArtifactApi}. Every outcome is a value: the artifact, or {@link
 * Fetched#failure} saying why nothing usable came back. Blocking: called from worker threads, never
 * from an event loop.
 */
public final class ArtifactClient implements AutoCloseable {
  /** The default largest leaf or commitment response. */
  public static final long DEFAULT_MAX_LEAF_BYTES = 64 * 1024;

  /** The default largest evidence or delta response. */
  public static final long DEFAULT_MAX_PAYLOAD_BYTES = 256L * 1024 * 1024;

  private final SignedHttpClient http;
  private final boolean ownsHttp;
  private final Limits small;
  private final Limits large;

  /**
   * A client of its own on {@code vertx} (null: its own Vert.x).
   *
   * @param maxLeafBytes largest leaf or commitment response accepted
   * @param maxEvidenceBytes largest evidence or delta response accepted
   */
  public ArtifactClient(
      Vertx vertx,
      RequestSigner signer,
      Duration timeout,
      long maxLeafBytes,
      long maxEvidenceBytes) {
    this(new SignedHttpClient(vertx, signer), true, timeout, maxLeafBytes, maxEvidenceBytes);
  }

  /** A client over a node's shared {@link SignedHttpClient}, which it leaves open on close. */
  public ArtifactClient(
      SignedHttpClient http, Duration timeout, long maxLeafBytes, long maxEvidenceBytes) {
    this(http, false, timeout, maxLeafBytes, maxEvidenceBytes);
  }

  private ArtifactClient(
      SignedHttpClient http,
      boolean ownsHttp,
      Duration timeout,
      long maxLeafBytes,
      long maxEvidenceBytes) {
    this.http = http;
    this.ownsHttp = ownsHttp;
    this.small = new Limits(timeout, maxLeafBytes);
    this.large = new Limits(timeout, maxEvidenceBytes);
  }

  public Address address() {
    return http.address();
  }

  /** Step {@code step}'s leaf and proof from miner {@code miner} at {@code endpoint}. */
  public Fetched<ProvenLeaf> leaf(Address miner, String endpoint, long round, long step) {
    return http.get(miner, endpoint + ArtifactApi.leafPath(round, step), small)
        .decode("leaf response", ArtifactApi::decodeLeaf);
  }

  public Fetched<ServedCommitment> commitment(Address miner, String endpoint, long round) {
    return http.get(miner, endpoint + ArtifactApi.commitmentPath(round), small)
        .decode("commitment", ArtifactApi::decodeCommitment);
  }

  /** A step's evidence, decoded by {@code decoder} (the training core's evidence codec). */
  public <E> Fetched<E> evidence(
      Address miner, String endpoint, long round, long step, Function<byte[], E> decoder) {
    return http.get(miner, endpoint + ArtifactApi.evidencePath(round, step), large)
        .decode("evidence", decoder);
  }

  /**
   * A miner's delta of a round (DESIGN.md §4), decoded by {@code decoder} and accepted only if it
   * hashes ({@code hash}) to {@code deltaHash}, the one in its on-chain commitment.
   */
  public <D> Fetched<D> delta(
      Address miner,
      String endpoint,
      long round,
      Function<byte[], D> decoder,
      Function<D, Bytes32> hash,
      Bytes32 deltaHash) {
    Fetched<D> delta =
        http.get(miner, endpoint + ArtifactApi.deltaPath(round), large).decode("delta", decoder);
    if (delta.ok() && !Objects.equals(hash.apply(delta.value()), deltaHash)) {
      return Fetched.fail("the served delta does not hash to the committed deltaHash");
    }
    return delta;
  }

  /**
   * An update a validator verified and re-serves by hash (DESIGN.md §7 v2), decoded by {@code
   * decoder} and accepted only if it hashes to {@code deltaHash}, the one committed on chain: a
   * validator cannot serve anything else.
   */
  public <D> Fetched<D> verifiedDelta(
      Address validator,
      String endpoint,
      Function<byte[], D> decoder,
      Function<D, Bytes32> hash,
      Bytes32 deltaHash) {
    Fetched<D> delta =
        http.get(validator, endpoint + ArtifactApi.verifiedDeltaPath(deltaHash), large)
            .decode("delta", decoder);
    if (delta.ok() && !Objects.equals(hash.apply(delta.value()), deltaHash)) {
      return Fetched.fail("the re-served delta does not hash to the committed deltaHash");
    }
    return delta;
  }

  @Override
  public void close() {
    if (ownsHttp) {
      http.close();
    }
  }
}
