package io.protolearn.chain.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.protolearn.chain.deploy.RunConfig;
import io.protolearn.chain.local.AnvilNode;
import io.protolearn.chain.local.LocalChain;
import io.protolearn.protocol.crypto.Bytes32;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Hosted RPCs cap the block span of {@code eth_getLogs}; the feed pages its polls and halves the
 * span a refusing RPC names as too large, and returns exactly the events of one unlimited query.
 * The RPC here is a real anvil behind a proxy (test code) that refuses spans over a limit the way
 * hosted endpoints word it.
 */
class EventFeedPagingIT {
  private static LocalChain chain;
  private static List<String> contracts;

  @BeforeAll
  static void start() throws Exception {
    chain =
        LocalChain.start(
            AnvilNode.Options.forTests(),
            RunConfig.devnet(h(1), h(2), h(3), h(4), h(5), 2, 16).withStartDelay(40));
    contracts =
        List.of(
            chain.deployment().contracts().stakeManager(),
            chain.deployment().contracts().runManager(),
            chain.deployment().contracts().disputeManager());
    try (var c =
        io.protolearn.chain.client.ProtocolClient.connect(
            chain.deployment(), chain.account(1), java.time.Duration.ofMillis(20))) {
      c.staking().stake(BigInteger.TEN.pow(18).multiply(BigInteger.TWO));
      chain.mine(30); // spread the events over more blocks than one capped page holds
      c.runs().joinAsMiner(0, "http://127.0.0.1:9000");
    }
  }

  @AfterAll
  static void stop() {
    if (chain != null) {
      chain.close();
    }
  }

  private static Bytes32 h(int i) {
    byte[] b = new byte[32];
    b[31] = (byte) i;
    return new Bytes32(b);
  }

  @Test
  void shouldPageAndHalveTheSpanARefusingRpcAllows() throws Exception {
    long head = chain.blockNumber();
    List<ChainEvent> direct = new EventFeed(chain.web3j(), contracts).poll(0, head);
    assertThat(direct).hasSizeGreaterThanOrEqualTo(3);
    try (CappedRpc rpc =
        new CappedRpc(chain.deployment().rpcUrl(), 7, "block range is too large")) {
      Web3j web3j = Web3j.build(new HttpService(rpc.url()));
      EventFeed feed = new EventFeed(web3j, contracts);
      assertThat(feed.poll(0, head)).isEqualTo(direct);
      assertThat(feed.span()).isLessThanOrEqualTo(7);
      assertThat(rpc.refused.get()).isPositive();
      int refusedOnce = rpc.refused.get();
      assertThat(feed.poll(0, head)).isEqualTo(direct);
      assertThat(rpc.refused.get()).as("the smaller span is kept").isEqualTo(refusedOnce);
      web3j.shutdown();
    }
  }

  @Test
  void shouldFailInOneLineOnAnyOtherRefusal() throws Exception {
    long head = chain.blockNumber();
    try (CappedRpc rpc = new CappedRpc(chain.deployment().rpcUrl(), 0, "internal error")) {
      Web3j web3j = Web3j.build(new HttpService(rpc.url()));
      assertThatThrownBy(() -> new EventFeed(web3j, contracts).poll(0, head))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("eth_getLogs of blocks 0..")
          .hasMessageContaining("internal error");
      web3j.shutdown();
    }
  }

  /** A JSON-RPC proxy to anvil that refuses {@code eth_getLogs} spans over {@code maxSpan}. */
  private static final class CappedRpc implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    final AtomicInteger refused = new AtomicInteger();

    CappedRpc(String upstream, long maxSpan, String refusal) throws Exception {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/",
          exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            JsonNode req = JSON.readTree(body);
            byte[] answer;
            if ("eth_getLogs".equals(req.path("method").asText())
                && span(req.path("params").path(0)) > maxSpan) {
              refused.incrementAndGet();
              ObjectNode err = JSON.createObjectNode();
              err.put("jsonrpc", "2.0");
              err.set("id", req.get("id"));
              ObjectNode e = err.putObject("error");
              e.put("code", -32000);
              e.put("message", refusal);
              answer = JSON.writeValueAsBytes(err);
            } else {
              try {
                answer =
                    http.send(
                            HttpRequest.newBuilder(URI.create(upstream))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                            HttpResponse.BodyHandlers.ofByteArray())
                        .body();
              } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                answer = "{}".getBytes(StandardCharsets.UTF_8);
              }
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
          });
      server.start();
    }

    private static long span(JsonNode filter) {
      long from = Long.decode(filter.path("fromBlock").asText("0x0"));
      long to = Long.decode(filter.path("toBlock").asText("0x0"));
      return to - from + 1;
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
