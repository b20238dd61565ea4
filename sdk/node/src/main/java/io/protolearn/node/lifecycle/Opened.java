package io.protolearn.node.lifecycle;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node's assembly opened, closed in the reverse order: when the node closes, or at once when
 * the assembly fails half-way ({@link #building}).
 */
public final class Opened implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Opened.class);

  private final Deque<AutoCloseable> stack = new ArrayDeque<>();

  /**
   * Runs {@code build} with a fresh {@code Opened}; if it throws, closes what it opened so far and
   * rethrows.
   */
  public static <T> T building(Function<Opened, T> build) {
    Opened opened = new Opened();
    try {
      return build.apply(opened);
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  /** Records {@code resource} to be closed before everything opened earlier. */
  public synchronized <T extends AutoCloseable> T add(T resource) {
    stack.push(resource);
    return resource;
  }

  /** Records an action to run at close, before everything opened earlier. */
  public synchronized void onClose(AutoCloseable action) {
    stack.push(action);
  }

  /** Closes everything, the last opened first; a failure is logged and the rest still closed. */
  @Override
  public synchronized void close() {
    while (!stack.isEmpty()) {
      try {
        stack.pop().close();
      } catch (Exception e) {
        LOG.debug("closing: {}", e.toString());
      }
    }
  }
}
