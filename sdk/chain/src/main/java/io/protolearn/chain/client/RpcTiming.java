package io.protolearn.chain.client;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;

/** Times each JSON-RPC request of the HTTP transport and tells an {@link RpcListener}. */
final class RpcTiming implements Interceptor {
  private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([A-Za-z0-9_]+)\"");
  private final RpcListener listener;

  RpcTiming(RpcListener listener) {
    this.listener = listener;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    String method = method(request);
    long t0 = System.nanoTime();
    boolean ok = false;
    try {
      Response response = chain.proceed(request);
      ok = response.isSuccessful();
      return response;
    } finally {
      listener.completed(method, (System.nanoTime() - t0) / 1e9, ok);
    }
  }

  static String method(Request request) throws IOException {
    if (request.body() == null) {
      return "unknown";
    }
    Buffer body = new Buffer();
    request.body().writeTo(body);
    String json = body.readUtf8();
    if (json.stripLeading().startsWith("[")) {
      return "batch";
    }
    Matcher m = METHOD.matcher(json);
    return m.find() ? m.group(1) : "unknown";
  }
}
