package io.protolearn.chain.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

class RpcTimingTest {

  @Test
  void shouldTellTheListenerEachCallsMethodAndOutcome() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          byte[] b =
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x7a69\"}"
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.start();
    List<String> seen = new CopyOnWriteArrayList<>();
    OkHttpClient http =
        HttpService.getOkHttpClientBuilder()
            .addInterceptor(
                new RpcTiming(
                    (method, seconds, ok) ->
                        seen.add(method + " " + ok + " " + (seconds >= 0 && seconds < 30))))
            .build();
    Web3j web3j =
        Web3j.build(new HttpService("http://127.0.0.1:" + server.getAddress().getPort(), http));
    try {
      assertThat(web3j.ethChainId().send().getChainId()).isEqualTo(BigInteger.valueOf(31337));
      assertThat(seen).containsExactly("eth_chainId true true");
    } finally {
      web3j.shutdown();
      server.stop(0);
    }
  }

  @Test
  void shouldNameBatchesAndBodiesWithoutAMethod() throws Exception {
    MediaType json = MediaType.get("application/json");
    assertThat(RpcTiming.method(post(RequestBody.create("[{\"method\":\"eth_call\"}]", json))))
        .isEqualTo("batch");
    assertThat(RpcTiming.method(post(RequestBody.create("{\"id\":1}", json)))).isEqualTo("unknown");
    assertThat(RpcTiming.method(new Request.Builder().url("http://127.0.0.1:1/").get().build()))
        .isEqualTo("unknown");
  }

  private static Request post(RequestBody body) {
    return new Request.Builder().url("http://127.0.0.1:1/").post(body).build();
  }
}
