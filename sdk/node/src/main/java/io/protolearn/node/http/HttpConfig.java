package io.protolearn.node.http;

import java.time.Duration;

/**
 * Where a node's HTTP service listens, how large a request body it accepts, how many connections it
 * holds open at once and how long one may sit idle (DESIGN §13 v2: a client that opens connections
 * and sends nothing, or trickles, cannot hold them forever nor take them all). Immutable; build
 * with {@link #builder()}.
 */
public record HttpConfig(
    String host, int port, long maxBodyBytes, int maxConnections, Duration idleTimeout) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 0;
  public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
  public static final int DEFAULT_MAX_CONNECTIONS = 512;

  /** Longer than the clients' keep-alive ({@link SignedHttpClient}), so they close first. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  public static final HttpConfig DEFAULT =
      new HttpConfig(
          DEFAULT_HOST,
          DEFAULT_PORT,
          DEFAULT_MAX_BODY_BYTES,
          DEFAULT_MAX_CONNECTIONS,
          DEFAULT_IDLE_TIMEOUT);

  public HttpConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535 (0: any free port)");
    }
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be positive");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be positive");
    }
    if (idleTimeout == null || idleTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("idleTimeout must be at least a millisecond");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder starting from the defaults. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder maxBodyBytes(long maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    public Builder maxConnections(int maxConnections) {
      this.maxConnections = maxConnections;
      return this;
    }

    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
      return this;
    }

    public HttpConfig build() {
      return new HttpConfig(host, port, maxBodyBytes, maxConnections, idleTimeout);
    }
  }
}
