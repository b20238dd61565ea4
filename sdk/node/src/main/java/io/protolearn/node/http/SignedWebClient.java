package io.protolearn.node.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.util.Map;

/** A Vert.x {@link WebClient} that signs every request with the node's key. */
public final class SignedWebClient {
  private final WebClient client;
  private final RequestSigner signer;

  public SignedWebClient(WebClient client, RequestSigner signer) {
    this.client = client;
    this.signer = signer;
  }

  public Future<HttpResponse<Buffer>> get(String absoluteUrl) {
    return send(HttpMethod.GET, absoluteUrl, Buffer.buffer());
  }

  public Future<HttpResponse<Buffer>> post(String absoluteUrl, Buffer body) {
    return send(HttpMethod.POST, absoluteUrl, body);
  }

  /** Signs and sends; the body may be empty. */
  public Future<HttpResponse<Buffer>> send(HttpMethod method, String absoluteUrl, Buffer body) {
    URI uri;
    try {
      uri = URI.create(absoluteUrl);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    String target =
        (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    HttpRequest<Buffer> request = client.requestAbs(method, absoluteUrl);
    for (Map.Entry<String, String> h :
        signer.headers(method.name(), target, body.getBytes()).entrySet()) {
      request.putHeader(h.getKey(), h.getValue());
    }
    return body.length() == 0 && method == HttpMethod.GET
        ? request.send()
        : request.sendBuffer(body);
  }
}
