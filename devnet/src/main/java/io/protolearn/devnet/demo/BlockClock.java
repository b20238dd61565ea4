package io.protolearn.devnet.demo;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * The demo chain's clock once the participants are set up: a block every {@code blockMillis}. Whole
 * seconds are the node's own interval mining ({@code evm_setIntervalMining}, which takes seconds
 * only); shorter blocks are mined by this process with {@code evm_mine} at a fixed rate.
 */
public final class BlockClock implements AutoCloseable {
  private ScheduledExecutorService ticker;

  /** Checks {@code --block-ms} before anything is started. */
  public static void validate(int blockMillis) {
    if (blockMillis < 100 || blockMillis > 60_000) {
      throw new IllegalArgumentException("--block-ms must be in 100..60000, got " + blockMillis);
    }
  }

  /** Starts the clock; until then blocks are mined per transaction. */
  public void start(String rpcUrl, int blockMillis) throws IOException {
    validate(blockMillis);
    HttpService rpc = new HttpService(rpcUrl);
    if (blockMillis % 1000 == 0) {
      new Request<>("evm_setIntervalMining", List.of(blockMillis / 1000), rpc, VoidResponse.class)
          .send();
      return;
    }
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "block-clock");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleAtFixedRate(
        () -> {
          try {
            new Request<>("evm_mine", List.of(), rpc, VoidResponse.class).send();
          } catch (IOException | RuntimeException e) {
            // looked up here, not in a static field: checking --block-ms must not start logging
            LoggerFactory.getLogger(BlockClock.class).warn("evm_mine failed: {}", e.toString());
          }
        },
        blockMillis,
        blockMillis,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
  }
}
