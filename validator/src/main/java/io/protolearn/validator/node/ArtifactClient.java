package io.protolearn.validator.node;

import io.protolearn.node.http.RequestSigner;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import io.protolearn.training.verify.EvidenceCodec;
import io.protolearn.training.verify.StepEvidence;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The validator's side of docs/NODE-API.md's artifact routes: signed GETs with a connect/idle
 * timeout, an overall deadline and a size limit counted while the body streams in, so a miner that
 * hangs, trickles or floods cannot hold a worker or exhaust memory. Every outcome is a value: the
 * artifact, or {@link Fetched#failure} saying why nothing usable came back. Blocking: called from
 * the check workers, never from an event loop.
 */
public final class ArtifactClient implements AutoCloseable {
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final HttpClient http;
  private final RequestSigner signer;
  private final Duration timeout;
  private final long maxLeafBytes;
  private final long maxEvidenceBytes;
  private final java.util.Map<Long, HttpClientRequest> inFlight =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A leaf with its Merkle proof, as served. */
  public record ProvenLeaf(StepLeaf leaf, List<Bytes32> proof) {
    public boolean includedIn(Bytes32 root) {
      return RoundTree.verify(leaf, proof, root);
    }
  }

  /** A fetched artifact, or why none could be had. */
  public record Fetched<T>(T value, String failure) {
    static <T> Fetched<T> ok(T v) {
      return new Fetched<>(v, null);
    }

    static <T> Fetched<T> fail(String why) {
      return new Fetched<>(null, why);
    }

    public boolean ok() {
      return failure == null;
    }
  }

  public ArtifactClient(
      Vertx vertx, RequestSigner signer, Duration timeout, long maxLeafBytes, long maxEvidence) {
    this.ownsVertx = vertx == null;
    this.vertx = vertx == null ? Vertx.vertx() : vertx;
    this.signer = signer;
    this.timeout = timeout;
    this.maxLeafBytes = maxLeafBytes;
    this.maxEvidenceBytes = maxEvidence;
    this.http =
        this.vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis())),
            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
  }

  public Address address() {
    return signer.address();
  }

  public Fetched<ProvenLeaf> leaf(String endpoint, long round, long step) {
    Fetched<byte[]> body =
        get(endpoint + "/v1/rounds/" + round + "/steps/" + step + "/leaf", maxLeafBytes);
    if (!body.ok()) {
      return Fetched.fail(body.failure());
    }
    try {
      JsonObject json = new JsonObject(Buffer.buffer(body.value()));
      JsonArray values = json.getJsonArray("leaf");
      JsonArray proofJson = json.getJsonArray("proof");
      if (values == null || values.size() != 14 || proofJson == null || proofJson.size() > 64) {
        return Fetched.fail("malformed leaf response");
      }
      StepLeaf leaf =
          new StepLeaf(
              num(values, 0),
              num(values, 1),
              Address.fromHex(values.getString(2)),
              (int) num(values, 3),
              (int) num(values, 4),
              (int) num(values, 5),
              Bytes32.fromHex(values.getString(6)),
              Bytes32.fromHex(values.getString(7)),
              Bytes32.fromHex(values.getString(8)),
              Bytes32.fromHex(values.getString(9)),
              Bytes32.fromHex(values.getString(10)),
              Bytes32.fromHex(values.getString(11)),
              Bytes32.fromHex(values.getString(12)),
              Bytes32.fromHex(values.getString(13)));
      List<Bytes32> proof = new ArrayList<>();
      for (int i = 0; i < proofJson.size(); i++) {
        proof.add(Bytes32.fromHex(proofJson.getString(i)));
      }
      return Fetched.ok(new ProvenLeaf(leaf, proof));
    } catch (RuntimeException e) {
      return Fetched.fail("malformed leaf response: " + e.getMessage());
    }
  }

  public Fetched<StepEvidence> evidence(String endpoint, long round, long step) {
    Fetched<byte[]> body =
        get(endpoint + "/v1/rounds/" + round + "/steps/" + step + "/evidence", maxEvidenceBytes);
    if (!body.ok()) {
      return Fetched.fail(body.failure());
    }
    try {
      return Fetched.ok(EvidenceCodec.decode(body.value()));
    } catch (RuntimeException e) {
      return Fetched.fail("undecodable evidence: " + e.getMessage());
    }
  }

  /**
   * A miner's delta of a round (DESIGN.md §4), accepted only if it hashes to {@code deltaHash}, the
   * one in its on-chain commitment.
   */
  public Fetched<List<HostTensor>> delta(String endpoint, long round, Bytes32 deltaHash) {
    Fetched<byte[]> body = get(endpoint + "/v1/rounds/" + round + "/delta", maxEvidenceBytes);
    if (!body.ok()) {
      return Fetched.fail(body.failure());
    }
    try {
      List<HostTensor> delta = TensorCodec.decodeList(body.value());
      if (!TensorCodec.hashList(delta).equals(deltaHash)) {
        return Fetched.fail("the served delta does not hash to the committed deltaHash");
      }
      return Fetched.ok(delta);
    } catch (RuntimeException e) {
      return Fetched.fail("undecodable delta: " + e.getMessage());
    }
  }

  private static long num(JsonArray a, int i) {
    BigInteger v = new BigInteger(a.getString(i));
    if (v.signum() < 0 || v.bitLength() > 62) {
      throw new IllegalArgumentException("leaf value " + i + " out of range");
    }
    return v.longValueExact();
  }

  /** A signed GET of at most {@code maxBytes}, within the deadline. */
  Fetched<byte[]> get(String url, long maxBytes) {
    try {
      return fetch(url, maxBytes)
          .toCompletionStage()
          .toCompletableFuture()
          .get(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Fetched.fail("interrupted");
    } catch (Exception e) {
      return Fetched.fail("no answer: " + e.getMessage());
    }
  }

  private Future<Fetched<byte[]>> fetch(String url, long maxBytes) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(Fetched.fail("bad endpoint " + url));
    }
    String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(url)
            .setConnectTimeout(timeout.toMillis())
            .setIdleTimeout(timeout.toMillis());
    for (Map.Entry<String, String> h : signer.headers("GET", target, new byte[0]).entrySet()) {
      options.addHeader(h.getKey(), h.getValue());
    }
    Promise<Fetched<byte[]>> done = Promise.promise();
    AtomicBoolean settled = new AtomicBoolean();
    long timer =
        vertx.setTimer(
            timeout.toMillis(),
            t -> {
              if (settled.compareAndSet(false, true)) {
                done.complete(Fetched.fail("timed out after " + timeout.toMillis() + " ms"));
                HttpClientRequest stuck = inFlight.remove(t);
                if (stuck != null) {
                  stuck.reset();
                }
              }
            });
    http.request(options)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                if (settled.compareAndSet(false, true)) {
                  vertx.cancelTimer(timer);
                  done.complete(Fetched.fail("request failed: " + ar.cause().getMessage()));
                }
                return;
              }
              HttpClientRequest req = ar.result();
              // handlers are registered before the request is sent, so no part of the response
              // can arrive before them
              req.response()
                  .onComplete(
                      rar -> {
                        if (rar.failed()) {
                          if (settled.compareAndSet(false, true)) {
                            vertx.cancelTimer(timer);
                            done.complete(Fetched.fail("no response: " + rar.cause().getMessage()));
                          }
                          return;
                        }
                        receive(req, rar.result(), maxBytes, settled, timer, done);
                      });
              if (settled.get()) {
                req.reset();
                return;
              }
              inFlight.put(timer, req);
              req.end();
            });
    done.future().onComplete(x -> inFlight.remove(timer));
    return done.future();
  }

  private void receive(
      HttpClientRequest req,
      HttpClientResponse resp,
      long maxBytes,
      AtomicBoolean settled,
      long timer,
      Promise<Fetched<byte[]>> done) {
    resp.exceptionHandler(e -> {}); // a reset below is ours; failures settle through the timer
    if (resp.statusCode() != 200) {
      if (settled.compareAndSet(false, true)) {
        vertx.cancelTimer(timer);
        done.complete(Fetched.fail("HTTP " + resp.statusCode()));
      }
      req.reset();
      return;
    }
    String declared = resp.getHeader("content-length");
    if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > maxBytes) {
      if (settled.compareAndSet(false, true)) {
        vertx.cancelTimer(timer);
        done.complete(Fetched.fail("response of " + declared + " bytes, over " + maxBytes));
      }
      req.reset();
      return;
    }
    Buffer acc = Buffer.buffer();
    resp.exceptionHandler(
        e -> {
          if (settled.compareAndSet(false, true)) {
            vertx.cancelTimer(timer);
            done.complete(Fetched.fail("body failed: " + e.getMessage()));
          }
        });
    resp.handler(
        chunk -> {
          if (settled.get()) {
            return;
          }
          if (acc.length() + (long) chunk.length() > maxBytes) {
            if (settled.compareAndSet(false, true)) {
              vertx.cancelTimer(timer);
              done.complete(Fetched.fail("response over " + maxBytes + " bytes"));
            }
            req.reset();
            return;
          }
          acc.appendBuffer(chunk);
        });
    resp.endHandler(
        v -> {
          if (settled.compareAndSet(false, true)) {
            vertx.cancelTimer(timer);
            done.complete(Fetched.ok(acc.getBytes()));
          }
        });
  }

  @Override
  public void close() {
    http.close();
    if (ownsVertx) {
      vertx.close();
    }
  }
}
