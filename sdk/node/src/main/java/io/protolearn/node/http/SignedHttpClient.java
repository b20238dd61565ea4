package io.protolearn.node.http;

import io.protolearn.protocol.crypto.Address;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one client for requests between nodes: each request is signed with the node's key ({@link
 * RequestSigner}, over the same request target {@link SignatureVerifier} checks), bounded by a
 * deadline (connect, idle and overall) and by a response size counted while the body streams in, so
 * a peer that hangs, trickles or floods cannot hold a thread or exhaust memory. Every outcome is a
 * value ({@link Fetched}): the response, or why none came back.
 */
public final class SignedHttpClient implements AutoCloseable {
  /** A response: its status and body (error bodies too, within the size limit). */
  public record Response(int statusCode, byte[] body) {
    public String bodyAsString() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** How long one request may take in all, and the largest response body accepted. */
  public record Limits(Duration deadline, long maxResponseBytes) {
    public Limits {
      if (deadline.isNegative() || deadline.isZero() || maxResponseBytes < 0) {
        throw new IllegalArgumentException("deadline and size limit must be positive");
      }
    }
  }

  /** How long a pooled connection may sit idle: half {@link HttpConfig#DEFAULT_IDLE_TIMEOUT}. */
  static final int KEEP_ALIVE_SECONDS = 30;

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final HttpClient http;
  private final RequestSigner signer;

  /** A client on {@code vertx} (null: its own, closed with it) signing as {@code signer}. */
  public SignedHttpClient(Vertx vertx, RequestSigner signer) {
    this.ownsVertx = vertx == null;
    this.vertx = vertx == null ? Vertx.vertx() : vertx;
    this.signer = signer;
    this.http =
        this.vertx.createHttpClient(
            new HttpClientOptions()
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                // idle pooled connections close before the servers' idle timeout closes them
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS),
            new PoolOptions().setHttp1MaxSize(32));
  }

  public Address address() {
    return signer.address();
  }

  /**
   * A signed GET to the node {@code to} whose answer must be 200: its body, else the failure ("HTTP
   * 404", ...).
   */
  public Fetched<byte[]> get(Address to, String url, Limits limits) {
    Fetched<Response> r = call(to, HttpMethod.GET, url, new byte[0], Map.of(), limits);
    if (!r.ok()) {
      return Fetched.fail(r.failure());
    }
    return r.value().statusCode() == 200
        ? Fetched.ok(r.value().body())
        : Fetched.fail("HTTP " + r.value().statusCode());
  }

  /**
   * Sends a request signed for the node {@code to} and waits for its outcome (from a worker thread,
   * never a loop).
   */
  public Fetched<Response> call(
      Address to,
      HttpMethod method,
      String url,
      byte[] body,
      Map<String, String> headers,
      Limits limits) {
    try {
      return send(to, method, url, body, headers, limits)
          .toCompletionStage()
          .toCompletableFuture()
          .get(limits.deadline().toMillis() + 2_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Fetched.fail("interrupted");
    } catch (Exception e) {
      return Fetched.fail("no answer: " + e.getMessage());
    }
  }

  /**
   * Sends a request signed for the node {@code to}; completes (never fails) with the response or
   * why there is none.
   */
  public Future<Fetched<Response>> send(
      Address to,
      HttpMethod method,
      String url,
      byte[] body,
      Map<String, String> headers,
      Limits limits) {
    RequestOptions options;
    Map<String, String> signature;
    try {
      signature = signer.headers(to, method.name(), url, body);
      long ms = limits.deadline().toMillis();
      options =
          new RequestOptions()
              .setMethod(method)
              .setAbsoluteURI(url)
              .setConnectTimeout(ms)
              .setIdleTimeout(ms);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(Fetched.fail("bad endpoint " + url));
    }
    signature.forEach(options::addHeader);
    headers.forEach(options::addHeader);
    return new Exchange(options, body, limits).start();
  }

  /** One request in flight: settled exactly once, by the response, a failure or the deadline. */
  private final class Exchange {
    private final RequestOptions options;
    private final byte[] body;
    private final long maxBytes;
    private final long deadlineMs;
    private final Promise<Fetched<Response>> done = Promise.promise();
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile HttpClientRequest request;
    private long timer;

    Exchange(RequestOptions options, byte[] body, Limits limits) {
      this.options = options;
      this.body = body;
      this.maxBytes = limits.maxResponseBytes();
      this.deadlineMs = limits.deadline().toMillis();
    }

    Future<Fetched<Response>> start() {
      timer =
          vertx.setTimer(
              deadlineMs,
              t -> {
                settle(Fetched.fail("timed out after " + deadlineMs + " ms"));
                reset();
              });
      http.request(options).onComplete(ar -> sendOn(ar.succeeded() ? ar.result() : null, ar));
      return done.future();
    }

    private void sendOn(HttpClientRequest req, io.vertx.core.AsyncResult<?> ar) {
      if (req == null) {
        settle(Fetched.fail("request failed: " + ar.cause().getMessage()));
        return;
      }
      request = req;
      // handlers are registered before the request is sent: no part of the answer comes first
      req.response()
          .onComplete(
              rar -> {
                if (rar.failed()) {
                  settle(Fetched.fail("no response: " + rar.cause().getMessage()));
                } else {
                  receive(rar.result());
                }
              });
      if (settled.get()) {
        req.reset();
        return;
      }
      if (body.length == 0) {
        req.end();
      } else {
        req.end(Buffer.buffer(body));
      }
    }

    private void receive(HttpClientResponse resp) {
      resp.exceptionHandler(e -> settle(Fetched.fail("body failed: " + e.getMessage())));
      String declared = resp.getHeader("content-length");
      if (declared != null
          && declared.matches("\\d{1,18}")
          && Long.parseLong(declared) > maxBytes) {
        settle(Fetched.fail("response of " + declared + " bytes, over " + maxBytes));
        reset();
        return;
      }
      Buffer acc = Buffer.buffer();
      resp.handler(
          chunk -> {
            if (settled.get()) {
              return;
            }
            if (acc.length() + (long) chunk.length() > maxBytes) {
              settle(Fetched.fail("response over " + maxBytes + " bytes"));
              reset();
              return;
            }
            acc.appendBuffer(chunk);
          });
      resp.endHandler(v -> settle(Fetched.ok(new Response(resp.statusCode(), acc.getBytes()))));
    }

    private void settle(Fetched<Response> outcome) {
      if (settled.compareAndSet(false, true)) {
        vertx.cancelTimer(timer);
        done.complete(outcome);
      }
    }

    private void reset() {
      HttpClientRequest req = request;
      if (req != null) {
        req.reset();
      }
    }
  }

  @Override
  public void close() {
    http.close();
    if (ownsVertx) {
      vertx.close();
    }
  }
}
