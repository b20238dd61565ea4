package io.protolearn.miner.node;

import io.protolearn.chain.client.ProtocolClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain's latest block as the node last saw it, kept fresh by a daemon thread, and the node's
 * stop flag (every long wait of the node gives up once it is set).
 */
final class ChainHead {
  private static final Logger LOG = LoggerFactory.getLogger(ChainHead.class);

  private final ProtocolClient client;
  private final AtomicLong latest = new AtomicLong();
  private final AtomicBoolean stopping = new AtomicBoolean();

  ChainHead(ProtocolClient client) {
    this.client = client;
  }

  /** Reads the block number once, then keeps it fresh every 250 ms until {@link #stop}. */
  void watch() {
    refresh();
    Thread watcher =
        new Thread(
            () -> {
              while (!stopping()) {
                refresh();
                sleep(Duration.ofMillis(250));
              }
            },
            "block-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }

  long block() {
    return latest.get();
  }

  boolean stopping() {
    return stopping.get();
  }

  /** Sets the stop flag; false if it was set before. */
  boolean stop() {
    return stopping.compareAndSet(false, true);
  }

  private void refresh() {
    try {
      latest.set(client.blockNumber());
    } catch (RuntimeException e) {
      LOG.debug("block number: {}", e.toString());
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
