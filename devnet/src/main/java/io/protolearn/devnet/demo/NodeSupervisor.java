package io.protolearn.devnet.demo;

import io.protolearn.node.http.NodeHttpService;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Runs the demo's nodes as an operator's supervisor would: starts each, waits until it answers
 * {@code /health/ready} on its port, and from then on restarts a node that exits (a crash, a kill
 * -9 from outside) on its data, reporting it in one line, instead of ending the demo. A node that
 * keeps dying ({@link #MAX_RESTARTS} times) ends the demo with the end of its log.
 */
public final class NodeSupervisor implements AutoCloseable {
  /** Restarts of one node after which the demo gives up on it. */
  static final int MAX_RESTARTS = 8;

  /** A node that exited and was started again: when, and how it had exited. */
  public record Restart(String name, long block, int exitCode) {}

  /**
   * Gives a node that exited before it was ready (its port was taken meanwhile, say) another port:
   * registers the new endpoint and returns the node's new arguments.
   */
  @FunctionalInterface
  public interface Rebind {
    List<String> rebind(Participant p) throws IOException;
  }

  /** Start-ups of one node, each on a fresh port, before the demo gives up on it. */
  static final int START_ATTEMPTS = 3;

  private final NodeProcesses processes;
  private final PrintWriter out;
  private final LongSupplier block;
  private final Map<String, Participant> nodes = new HashMap<>();
  private final List<Restart> restarts = new ArrayList<>();
  private Rebind rebind;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * @param block the chain's head, to say when a node went down
   */
  public NodeSupervisor(NodeProcesses processes, PrintWriter out, LongSupplier block) {
    this.processes = processes;
    this.out = out;
    this.block = block;
  }

  /** Starts a participant's node ({@code mainClass args}), its output appended to its log. */
  public void start(Participant p, String mainClass, List<String> args, Path log)
      throws IOException {
    processes.start(p.name, mainClass, args, log, "512m");
    nodes.put(p.name, p);
  }

  /**
   * Waits until every node answers {@code /health/ready} on its port: the port is bound and the
   * node is set up; only then do the chain's rounds start. A node that exits first is started again
   * on another port ({@code rebind}), up to {@link #START_ATTEMPTS} times; one that still exits, or
   * is not ready in time, ends the demo.
   */
  public void awaitReady(Duration timeout, Rebind rebind) throws InterruptedException, IOException {
    this.rebind = rebind;
    long end = System.nanoTime() + timeout.toNanos();
    for (NodeProcesses.Child started : processes.children()) {
      Participant p = nodes.get(started.name());
      NodeProcesses.Child c = started;
      int attempts = 1;
      while (!ready(p.port)) {
        if (!c.process().isAlive()) {
          if (attempts == START_ATTEMPTS || rebind == null) {
            throw new IllegalStateException(
                c.name()
                    + " exited before it was ready; the end of its log:\n"
                    + NodeProcesses.tail(c, 30));
          }
          attempts++;
          c = processes.restart(c.name(), rebind.rebind(p));
        }
        if (System.nanoTime() > end) {
          throw new IllegalStateException(
              c.name() + " was not ready after " + timeout.toSeconds() + " s; see " + c.log());
        }
        Thread.sleep(200);
      }
    }
  }

  /** Whether the node on that port answers 200 on {@code /health/ready}. */
  boolean ready(int port) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + NodeHttpService.READY_PATH))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    }
  }

  /**
   * Restarts every node that has exited, one line each. Called between the demo's looks at the
   * chain, so that a node is down for well under a second more than its crash.
   */
  public void supervise() throws IOException {
    for (NodeProcesses.Child c : processes.children()) {
      if (c.process().isAlive()) {
        continue;
      }
      int code = c.process().exitValue();
      long times = restarts.stream().filter(r -> r.name().equals(c.name())).count();
      if (times >= MAX_RESTARTS) {
        throw new IllegalStateException(
            c.name()
                + " exited with code "
                + code
                + " after "
                + times
                + " restarts; the end of its log ("
                + c.log()
                + "):\n"
                + NodeProcesses.tail(c, 30));
      }
      long at = block.getAsLong();
      // its port was taken while it was down, or before it started (another process's random
      // port; a probe answered by that process passed for it): a new port, registered on chain
      boolean portTaken = rebind != null && NodeProcesses.tail(c, 5).contains("cannot listen");
      if (portTaken) {
        processes.restart(c.name(), rebind.rebind(nodes.get(c.name())));
      } else {
        processes.restart(c.name());
      }
      restarts.add(new Restart(c.name(), at, code));
      out.printf(
          "  %s exited with code %d at block %d; restarted on its data%s (log %s)%n",
          c.name(), code, at, portTaken ? " and a new port" : "", c.log());
    }
  }

  /** kill -9 of a node by its pid, as from outside; {@link #supervise} restarts it. */
  public void kill(String name) throws InterruptedException {
    processes.kill(name);
  }

  /** The restarts so far. */
  public List<Restart> restarts() {
    return List.copyOf(restarts);
  }

  /** Stops every node (TERM, then KILL); nothing is restarted from here on. */
  @Override
  public void close() {
    processes.close();
  }
}
