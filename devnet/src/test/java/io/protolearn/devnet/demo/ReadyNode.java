package io.protolearn.devnet.demo;

import io.protolearn.node.http.HttpConfig;
import io.protolearn.node.http.NodeHttpService;
import io.protolearn.node.http.Readiness;
import io.protolearn.node.metrics.Metrics;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node process for {@link NodeSupervisorTest}: the nodes' own HTTP service (liveness, readiness)
 * on the port given, until killed; {@code exit} ends at once with code 3.
 */
public final class ReadyNode {
  private ReadyNode() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("exit")) {
      System.exit(3);
    }
    Vertx vertx = Vertx.vertx();
    try {
      new NodeHttpService(
              vertx,
              HttpConfig.builder().port(Integer.parseInt(args[0])).build(),
              new Metrics(),
              Readiness.ALWAYS,
              List.of())
          .start()
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // as the nodes' mains do: a node that cannot listen exits (Vert.x threads would keep it up)
      System.err.println("cannot listen: " + e);
      System.exit(1);
    }
    Thread.sleep(Long.MAX_VALUE);
  }
}
