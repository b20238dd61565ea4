package io.protolearn.chain.events;

import io.protolearn.chain.contracts.DisputeManager;
import io.protolearn.chain.contracts.RunManager;
import io.protolearn.chain.contracts.StakeManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.datatypes.Event;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.BaseEventResponse;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The protocol's events (StakeManager, RunManager, DisputeManager), decoded into {@link
 * ChainEvent}s in chain order. Poll a block range, or subscribe from a block and receive every
 * later event exactly once.
 */
public final class EventFeed {
  private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);
  private static final Map<String, Method> DECODERS = decoders();

  private final Web3j web3j;
  private final List<String> addresses;
  private volatile long span = DEFAULT_SPAN;

  public EventFeed(Web3j web3j, List<String> contractAddresses) {
    this.web3j = web3j;
    this.addresses = List.copyOf(contractAddresses);
  }

  /** The block span of one {@code eth_getLogs} request to start with (hosted RPCs cap it). */
  public static final long DEFAULT_SPAN = 1_000;

  /**
   * Every decodable event of the contracts in blocks {@code from..to} (inclusive), fetched in pages
   * of at most the feed's span; a page the RPC refuses as too large is asked for again at half the
   * span, and the feed keeps the smaller span for later polls.
   */
  public List<ChainEvent> poll(long from, long to) {
    List<ChainEvent> out = new ArrayList<>();
    long start = from;
    while (start <= to) {
      long end = Math.min(to, start + span - 1);
      EthLog logs = getLogs(start, end);
      if (logs.hasError()) {
        String message = logs.getError().getMessage();
        if (rangeTooLarge(logs.getError().getCode(), message) && end > start) {
          span = Math.max(1, (end - start + 1) / 2);
          LOG.info(
              "eth_getLogs refused {} blocks ({}); asking for {} at a time",
              end - start + 1,
              message,
              span);
          continue;
        }
        throw new UncheckedIOException(
            new IOException("eth_getLogs of blocks " + start + ".." + end + " failed: " + message));
      }
      for (EthLog.LogResult<?> result : logs.getLogs()) {
        Log log = (Log) result.get();
        decode(log).ifPresent(out::add);
      }
      start = end + 1;
    }
    return out;
  }

  /** The span the feed asks for now (smaller once an RPC refused a larger one). */
  public long span() {
    return span;
  }

  private EthLog getLogs(long from, long to) {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
            DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
            addresses);
    try {
      return web3j.ethGetLogs(filter).send();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether a JSON-RPC error says the block range (or the result) is too large, as hosted RPCs word
   * it: "block range is too large", "query returned more than 10000 results", "exceed maximum block
   * range", or the limit code -32005.
   */
  static boolean rangeTooLarge(int code, String message) {
    String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
    return code == -32005
        || m.contains("range")
        || m.contains("more than")
        || m.contains("too many")
        || m.contains("limit exceeded");
  }

  /** Decodes one log, if it is one of the protocol's events. */
  public static java.util.Optional<ChainEvent> decode(Log log) {
    if (log.getTopics() == null || log.getTopics().isEmpty()) {
      return java.util.Optional.empty();
    }
    Method m = DECODERS.get(log.getTopics().get(0));
    if (m == null) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(ChainEvents.of((BaseEventResponse) m.invoke(null, log)));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot decode " + m.getName(), e);
    }
  }

  /** A running subscription; closing it stops the polling thread. */
  public interface Subscription extends AutoCloseable {
    /** The next block not yet delivered. */
    long nextBlock();

    @Override
    void close();
  }

  /**
   * Delivers every event from {@code fromBlock} on, in order, polling every {@code interval}. A
   * failing poll is retried at the next tick from the same block.
   */
  public Subscription subscribe(long fromBlock, Duration interval, Consumer<ChainEvent> consumer) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "protolearn-events");
              t.setDaemon(true);
              return t;
            });
    long[] next = {fromBlock};
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
            if (head >= next[0]) {
              for (ChainEvent e : poll(next[0], head)) {
                consumer.accept(e);
              }
              next[0] = head + 1;
            }
          } catch (IOException | RuntimeException e) {
            LOG.warn("event poll from block {} failed: {}", next[0], e.getMessage());
          }
        },
        0,
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
    return new Subscription() {
      @Override
      public long nextBlock() {
        return next[0];
      }

      @Override
      public void close() {
        timer.shutdownNow();
      }
    };
  }

  private static Map<String, Method> decoders() {
    Map<String, Method> map = new HashMap<>();
    for (Class<?> wrapper : List.of(StakeManager.class, RunManager.class, DisputeManager.class)) {
      for (Field f : wrapper.getFields()) {
        if (f.getType() != Event.class || !Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        try {
          Event event = (Event) f.get(null);
          Method decoder = wrapper.getMethod("get" + event.getName() + "EventFromLog", Log.class);
          map.put(EventEncoder.encode(event), decoder);
        } catch (ReflectiveOperationException e) {
          // an event without a typed decoder is skipped
        }
      }
    }
    return Map.copyOf(map);
  }
}
