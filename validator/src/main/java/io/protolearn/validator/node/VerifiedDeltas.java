package io.protolearn.validator.node;

import io.protolearn.node.http.Fetched;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.training.lane.TensorBounds;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committed updates this validator fetched and verified (DESIGN.md §7 v2): a miner's delta from
 * its {@code /delta}, whose hash is its committed {@code deltaHash}, whose tensors have the layout
 * of its stage's parameters (once the run's specs are known) and whose values are finite and within
 * {@link TensorBounds}. What {@link #availableOf} verified in a round's check window is what the
 * validator marks available in its attestation; the aggregation check ({@link BaseTracker}) reads
 * the same verified deltas. The last {@value #KEEP_ROUNDS} rounds are kept in memory.
 */
final class VerifiedDeltas implements BaseTracker.Deltas {
  private static final Logger LOG = LoggerFactory.getLogger(VerifiedDeltas.class);
  private static final int KEEP_ROUNDS = 3;

  /** The most updates fetched at once in a pass of {@link #availableOf}. */
  static final int FETCHERS = 4;

  private final BaseTracker.Deltas source;
  private final Map<Long, Map<Address, List<HostTensor>>> kept = new ConcurrentHashMap<>();
  private final Map<Long, Map<Bytes32, byte[]>> encoded = new ConcurrentHashMap<>();
  private volatile IntFunction<List<HostTensor>> layout;
  private final ExecutorService fetchers =
      Executors.newFixedThreadPool(
          FETCHERS,
          r -> {
            Thread t = new Thread(r, "update-fetch");
            t.setDaemon(true);
            return t;
          });

  VerifiedDeltas(BaseTracker.Deltas source) {
    this.source = source;
  }

  /** Checks the layout of every delta against its stage's parameters from now on. */
  void checkLayoutAgainst(IntFunction<List<HostTensor>> stageParams) {
    this.layout = stageParams;
  }

  @Override
  public Fetched<List<HostTensor>> fetch(RoundView view, Address miner) {
    Map<Address, List<HostTensor>> round =
        kept.computeIfAbsent(view.round(), r -> new ConcurrentHashMap<>());
    kept.keySet().removeIf(r -> r <= view.round() - KEEP_ROUNDS);
    encoded.keySet().removeIf(r -> r <= view.round() - KEEP_ROUNDS);
    List<HostTensor> known = round.get(miner);
    if (known != null) {
      return Fetched.ok(known);
    }
    Fetched<List<HostTensor>> f = source.fetch(view, miner);
    if (!f.ok()) {
      return f;
    }
    RoundView.Committed c = view.commitments().get(miner);
    if (c == null) {
      return Fetched.fail("not a committed miner of round " + view.round());
    }
    Optional<String> problem = problem(c.stage(), f.value());
    if (problem.isPresent()) {
      return Fetched.fail(problem.get());
    }
    round.put(miner, f.value());
    encoded
        .computeIfAbsent(view.round(), r -> new ConcurrentHashMap<>())
        .put(c.commitment().deltaHash(), TensorCodec.encodeList(f.value()));
    return f;
  }

  /**
   * Fetches the updates of {@code miners} side by side; an interrupted pass returns what it has.
   */
  private Map<Address, Fetched<List<HostTensor>>> fetchAll(RoundView view, List<Address> miners) {
    Map<Address, Fetched<List<HostTensor>>> out = new ConcurrentHashMap<>();
    List<Callable<Void>> tasks = new ArrayList<>();
    for (Address m : miners) {
      tasks.add(
          () -> {
            out.put(m, fetch(view, m));
            return null;
          });
    }
    try {
      fetchers.invokeAll(tasks); // cancels what is left when interrupted
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  /**
   * The canonical bytes of a verified update of the kept rounds whose committed hash is {@code
   * hash}, which the validator re-serves to the run's miners ({@code GET /v1/deltas/{hash}}).
   */
  Optional<byte[]> encoded(Bytes32 hash) {
    for (Map<Bytes32, byte[]> round : encoded.values()) {
      byte[] b = round.get(hash);
      if (b != null) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }

  /**
   * Adds to {@code verified} the committed miners of the round whose updates verify, asking again
   * every {@code retry} for those that did not until all do, {@code timeUp} says the window is
   * over, or the thread is interrupted. The updates of a pass are fetched side by side (at most
   * {@value #FETCHERS} at once): a pass lasts about one fetch deadline however many miners hang, so
   * a few slow or hostile miners cannot hold the pass, and with it this validator's attestation,
   * past the check window while honest miners wait unverified behind them.
   */
  Set<Address> availableOf(
      RoundView view, Set<Address> verified, BooleanSupplier timeUp, Duration retry) {
    Set<String> said = new HashSet<>();
    while (true) {
      List<Address> pending =
          view.commitments().keySet().stream().filter(m -> !verified.contains(m)).toList();
      Map<Address, Fetched<List<HostTensor>>> outcomes = fetchAll(view, pending);
      for (Address m : pending) {
        Fetched<List<HostTensor>> f =
            outcomes.getOrDefault(m, Fetched.fail("not asked: the pass was interrupted"));
        if (f.ok()) {
          verified.add(m);
        } else if (said.add(m + f.failure())) {
          LOG.info(
              "round {}: the update of {} is not available yet: {} (asked again until the check"
                  + " window closes)",
              view.round(),
              m,
              f.failure());
        }
      }
      if (verified.size() == view.commitments().size()
          || timeUp.getAsBoolean()
          || Thread.currentThread().isInterrupted()) {
        if (verified.size() < view.commitments().size()) {
          LOG.warn(
              "round {}: {} of {} committed updates verified; the others are attested unavailable",
              view.round(),
              verified.size(),
              view.commitments().size());
        }
        return verified;
      }
      try {
        Thread.sleep(retry.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return verified;
      }
    }
  }

  private Optional<String> problem(int stage, List<HostTensor> delta) {
    IntFunction<List<HostTensor>> l = layout;
    if (l != null) {
      if (stage < 0) {
        return Optional.of("no stage known for the miner");
      }
      List<HostTensor> params = l.apply(stage);
      if (params.size() != delta.size()) {
        return Optional.of(
            "a delta of " + delta.size() + " tensors for a stage of " + params.size());
      }
      for (int i = 0; i < params.size(); i++) {
        HostTensor p = params.get(i);
        HostTensor d = delta.get(i);
        if (p.dtype() != d.dtype() || !Arrays.equals(p.shape(), d.shape())) {
          return Optional.of(
              "delta tensor "
                  + i
                  + " is "
                  + d.dtype()
                  + Arrays.toString(d.shape())
                  + ", the stage's parameter is "
                  + p.dtype()
                  + Arrays.toString(p.shape()));
        }
      }
    }
    for (int i = 0; i < delta.size(); i++) {
      Optional<String> bad = TensorBounds.problem(delta.get(i));
      if (bad.isPresent()) {
        return Optional.of("delta tensor " + i + ": " + bad.get());
      }
    }
    return Optional.empty();
  }
}
