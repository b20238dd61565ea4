package io.protolearn.node.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.protolearn.node.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's HTTP service: at most {@code maxConnections} open connections (one more is closed on
 * arrival), each closed after {@code idleTimeout} without traffic, a body size limit before any
 * handler, liveness and readiness, then the routes the node adds ({@link Routes}). Errors are JSON
 * ({@link HttpErrors}). Listens on 127.0.0.1 unless configured otherwise. It counts its requests in
 * the node's metrics, which are served on a local port apart ({@link
 * io.protolearn.node.metrics.MetricsServer}), never here.
 */
public class NodeHttpService {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHttpService.class);

  /** Liveness: 200 while the process serves HTTP. */
  public static final String LIVE_PATH = "/health/live";

  /** Readiness: 200 when the node can serve its work, else 503 with the reason. */
  public static final String READY_PATH = "/health/ready";

  /** Routes a node adds to the service (artifacts, tensors, ...). */
  @FunctionalInterface
  public interface Routes {
    void register(Router router);
  }

  private final Vertx vertx;
  private final HttpConfig config;
  private final Readiness readiness;
  private final List<Routes> routes;
  private final Counter requests;
  private final Counter refusedConnections;
  private final AtomicInteger open = new AtomicInteger();
  private HttpServer server;

  public NodeHttpService(
      Vertx vertx, HttpConfig config, Metrics metrics, Readiness readiness, List<Routes> routes) {
    this.vertx = vertx;
    this.config = config;
    this.readiness = readiness;
    this.routes = List.copyOf(routes);
    this.requests =
        metrics.counter(
            "protolearn_http_requests_total", "HTTP requests answered, by status code", "code");
    this.refusedConnections =
        metrics.counter(
            "protolearn_http_connections_refused_total",
            "connections closed on arrival because maxConnections were open");
  }

  /** Starts listening; completes with the bound port. */
  public Future<Integer> start() {
    if (server != null) {
      return Future.failedFuture(new IllegalStateException("already started"));
    }
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.host())
            .setPort(config.port())
            .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, config.idleTimeout().toMillis()))
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    return vertx
        .createHttpServer(options)
        .connectionHandler(this::admit)
        .requestHandler(buildRouter())
        .listen()
        .map(
            s -> {
              server = s;
              LOG.info("HTTP service listening on {}:{}", config.host(), s.actualPort());
              return s.actualPort();
            });
  }

  /** Closes a connection that would exceed {@code maxConnections}; counts the others out. */
  private void admit(HttpConnection connection) {
    if (open.incrementAndGet() > config.maxConnections()) {
      open.decrementAndGet();
      refusedConnections.inc();
      connection.close();
      return;
    }
    connection.closeHandler(v -> open.decrementAndGet());
  }

  public Future<Void> stop() {
    if (server == null) {
      return Future.succeededFuture();
    }
    HttpServer s = server;
    server = null;
    return s.close();
  }

  /** The bound port, once started. */
  public int port() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.actualPort();
  }

  public Router buildRouter() {
    Router router = Router.router(vertx);
    router.route().handler(this::countRequest);
    router
        .route()
        .handler(
            BodyHandler.create(false)
                .setBodyLimit(config.maxBodyBytes())
                .setPreallocateBodyBuffer(false));
    router.get(LIVE_PATH).handler(this::handleLive);
    router.get(READY_PATH).handler(this::handleReady);
    routes.forEach(r -> r.register(router));
    router.route().failureHandler(this::handleFailure);
    router.errorHandler(
        404,
        ctx ->
            HttpErrors.send(
                ctx, 404, "no route for " + ctx.request().method() + " " + ctx.request().path()));
    router.errorHandler(
        405,
        ctx ->
            HttpErrors.send(
                ctx, 405, ctx.request().method() + " is not allowed on " + ctx.request().path()));
    return router;
  }

  private void countRequest(RoutingContext ctx) {
    ctx.addEndHandler(
        v -> requests.labelValues(Integer.toString(ctx.response().getStatusCode())).inc());
    ctx.next();
  }

  private void handleLive(RoutingContext ctx) {
    ctx.json(new JsonObject().put("status", "UP"));
  }

  private void handleReady(RoutingContext ctx) {
    Optional<String> reason = readiness.notReadyReason();
    if (reason.isEmpty()) {
      ctx.json(new JsonObject().put("status", "UP"));
    } else {
      ctx.response()
          .setStatusCode(503)
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("status", "DOWN").put("reason", reason.get()).encode());
    }
  }

  private void handleFailure(RoutingContext ctx) {
    int status = ctx.statusCode() < 0 ? 500 : ctx.statusCode();
    String message =
        switch (status) {
          case 413 -> "request body larger than " + config.maxBodyBytes() + " bytes";
          case 400 -> "malformed request";
          default -> status >= 500 ? "internal error" : "request refused";
        };
    if (status >= 500) {
      LOG.warn(
          "{} {} failed: {}",
          ctx.request().method(),
          ctx.request().path(),
          String.valueOf(ctx.failure()));
    }
    HttpErrors.send(ctx, status, message);
  }
}
