package io.protolearn.miner.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.protolearn.node.http.RequestSigner;
import io.protolearn.protocol.crypto.Hex;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.training.lane.SignedTensor;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Signed requests from this miner to other nodes (docs/NODE-API.md): lane tensors and the delta and
 * commitment of stage peers. Calls block the calling (worker) thread, never an event loop.
 */
final class PeerClient {
  static final String TENSOR_HEADER = "X-Protolearn-Tensor-Header";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebClient client;
  private final RequestSigner signer;

  PeerClient(WebClient client, RequestSigner signer) {
    this.client = client;
    this.signer = signer;
  }

  /** The JSON of a signed tensor header (the {@code X-Protolearn-Tensor-Header} value). */
  static String headerJson(SignedTensor m) {
    TensorMessage h = m.header();
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("runId", h.runId());
    o.put("round", h.round());
    o.put("lane", h.lane());
    o.put("step", h.step());
    o.put("fromStage", h.fromStage());
    o.put("toStage", h.toStage());
    o.put("tensorHash", h.tensorHash().toHex());
    o.put("signature", Hex.encode(m.signature()));
    try {
      return JSON.writeValueAsString(o);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** POSTs a tensor to a lane peer's {@code /v1/lane/tensor}; the response status and body. */
  HttpResponse<Buffer> postTensor(String endpoint, SignedTensor m, byte[] body, Duration timeout)
      throws TimeoutException, ExecutionException, InterruptedException {
    return send(
        HttpMethod.POST,
        endpoint + "/v1/lane/tensor",
        body,
        Map.of(TENSOR_HEADER, headerJson(m)),
        timeout);
  }

  HttpResponse<Buffer> get(String url, Duration timeout)
      throws TimeoutException, ExecutionException, InterruptedException {
    return send(HttpMethod.GET, url, new byte[0], Map.of(), timeout);
  }

  private HttpResponse<Buffer> send(
      HttpMethod method, String url, byte[] body, Map<String, String> extra, Duration timeout)
      throws TimeoutException, ExecutionException, InterruptedException {
    URI uri = URI.create(url);
    String target =
        (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    HttpRequest<Buffer> request = client.requestAbs(method, url).timeout(timeout.toMillis());
    signer.headers(method.name(), target, body).forEach(request::putHeader);
    extra.forEach(request::putHeader);
    request.putHeader("Content-Type", "application/octet-stream");
    Future<HttpResponse<Buffer>> f =
        body.length == 0 && method == HttpMethod.GET
            ? request.send()
            : request.sendBuffer(Buffer.buffer(body));
    return f.toCompletionStage()
        .toCompletableFuture()
        .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
  }
}
