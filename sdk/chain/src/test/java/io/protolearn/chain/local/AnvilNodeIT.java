package io.protolearn.chain.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Anvil binds a port of its own choosing and the node reads it back: no free-port race. */
class AnvilNodeIT {

  @Test
  void shouldStartNodesConcurrentlyOnPortsTheyPickedThemselves(@TempDir Path dir) throws Exception {
    List<CompletableFuture<AnvilNode>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path log = i == 0 ? dir.resolve("anvil.log") : null;
      starting.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return AnvilNode.start(new AnvilNode.Options(0, 0, 31337, 2, log, false));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    List<AnvilNode> nodes = new ArrayList<>();
    try {
      for (CompletableFuture<AnvilNode> f : starting) {
        nodes.add(f.join());
      }
      assertThat(nodes.stream().map(AnvilNode::port).distinct()).hasSize(3);
      for (AnvilNode node : nodes) {
        assertThat(node.port()).isPositive();
        assertThat(node.rpcUrl()).isEqualTo("http://127.0.0.1:" + node.port());
        assertThat(chainId(node)).contains("\"result\":\"0x7a69\"");
      }
      assertThat(Files.readString(dir.resolve("anvil.log")))
          .contains("Listening on 127.0.0.1:" + nodes.get(0).port());
    } finally {
      nodes.forEach(AnvilNode::close);
    }
    assertThat(nodes).noneMatch(AnvilNode::isAlive);
  }

  @Test
  void shouldReadTheListeningLine() {
    assertThat(BoundPort.parse("Listening on 127.0.0.1:43599")).contains(43599);
    assertThat(BoundPort.parse("eth_chainId")).isEmpty();
  }

  private static String chainId(AnvilNode node) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(node.rpcUrl()))
            .header("content-type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
            .build();
    return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).body();
  }
}
