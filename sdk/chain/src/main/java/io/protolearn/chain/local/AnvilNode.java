package io.protolearn.chain.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local EVM node (anvil, from the {@code @foundry-rs/anvil} npm package) run as a child process
 * on 127.0.0.1. It is started by its binary, so this object holds exactly one pid, and it is
 * stopped by that pid.
 */
public final class AnvilNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AnvilNode.class);

  /** The mnemonic of anvil's (and Hardhat's) well-known development accounts. */
  public static final String DEV_MNEMONIC =
      "test test test test test test test test test test test junk";

  private final Process process;
  private final int port;

  private AnvilNode(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Options of a local node. {@code port = 0}: anvil picks a free port and reports it ({@link
   * #port()}); {@code blockTimeSeconds = 0} mines a block per transaction.
   */
  public record Options(
      int port, int blockTimeSeconds, long chainId, int accounts, Path logFile, boolean detached) {
    public static Options forTests() {
      return new Options(0, 0, 31337, 20, null, false);
    }
  }

  /**
   * Starts a node and waits until it answers JSON-RPC. With {@code port = 0} anvil binds a port of
   * its own choosing and prints it ({@code Listening on 127.0.0.1:PORT}), which this reads back:
   * nothing finds a free port first and hopes it is still free when anvil binds it.
   */
  public static AnvilNode start(Options options) throws IOException {
    boolean ownPort = options.port() == 0;
    List<String> cmd = new ArrayList<>();
    if (options.detached() && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      // its own session: a later Ctrl-C in the terminal that started it does not reach it
      cmd.add("/usr/bin/setsid");
    }
    cmd.add(binary().toString());
    cmd.addAll(
        List.of(
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(options.port()),
            "--chain-id",
            Long.toString(options.chainId()),
            "--accounts",
            Integer.toString(options.accounts()),
            "--mnemonic",
            DEV_MNEMONIC,
            "--balance",
            "100000"));
    if (ownPort) {
      // anvil's banner ends with the address it bound; its log then names each RPC method called
      cmd.addAll(List.of("--color", "never"));
    } else {
      cmd.add("--silent");
    }
    if (options.blockTimeSeconds() > 0) {
      cmd.addAll(List.of("--block-time", Integer.toString(options.blockTimeSeconds())));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (options.logFile() != null) {
      Files.createDirectories(options.logFile().toAbsolutePath().getParent());
      pb.redirectOutput(options.logFile().toFile());
    } else if (!ownPort) {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = pb.start();
    try {
      Duration timeout = Duration.ofSeconds(20);
      int port = options.port();
      if (ownPort) {
        port =
            options.logFile() != null
                ? BoundPort.fromLog(process, options.logFile(), timeout)
                : BoundPort.fromOutput(process, timeout);
      }
      AnvilNode node = new AnvilNode(process, port);
      node.awaitReady(timeout);
      LOG.info("local chain up at {} (pid {})", node.rpcUrl(), node.pid());
      return node;
    } catch (IOException | RuntimeException e) {
      stop(process.toHandle());
      throw e;
    }
  }

  public String rpcUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the node by its pid: SIGTERM, then SIGKILL if it has not gone after 5 s. */
  @Override
  public void close() {
    stop(process.toHandle());
  }

  /** Stops the process of a pid that this project started (from a pid file). */
  public static boolean stopPid(long pid) {
    return ProcessHandle.of(pid).map(AnvilNode::stop).orElse(false);
  }

  private static boolean stop(ProcessHandle handle) {
    if (!handle.isAlive()) {
      return false;
    }
    handle.destroy();
    try {
      handle.onExit().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      handle.destroyForcibly();
    }
    return true;
  }

  private void awaitReady(Duration timeout) throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(rpcUrl()))
            .header("content-type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "anvil exited with code " + process.exitValue() + " before it was ready");
      }
      try {
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() == 200 && res.body().contains("result")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for anvil", e);
      }
      sleep(20);
    }
    throw new IOException("anvil did not answer on " + rpcUrl() + " within " + timeout);
  }

  /** The anvil binary: $PROTOLEARN_ANVIL, or the one npm installed under contracts/. */
  public static Path binary() {
    String override = System.getenv("PROTOLEARN_ANVIL");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    String os =
        System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "darwin" : "linux";
    String arch = System.getProperty("os.arch").contains("aarch64") ? "arm64" : "amd64";
    Path bin =
        ProjectPaths.root()
            .resolve("contracts/node_modules/@foundry-rs/anvil-" + os + "-" + arch + "/bin/anvil");
    if (!Files.isExecutable(bin)) {
      throw new UncheckedIOException(
          new IOException(
              "anvil not found at "
                  + bin
                  + " (run `npm ci` in contracts/ or set PROTOLEARN_ANVIL)"));
    }
    return bin;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
