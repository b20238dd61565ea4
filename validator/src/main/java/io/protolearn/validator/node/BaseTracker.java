package io.protolearn.validator.node;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.node.artifact.ArtifactClient;
import io.protolearn.node.http.Fetched;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.round.Availability;
import io.protolearn.training.lane.AcceptedDeltas;
import io.protolearn.training.lane.OuterStep;
import io.protolearn.training.lane.OuterStep.OuterState;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validator's side of the aggregation (DESIGN.md §7): every stage's base at the start of every
 * round, recomputed as the miners compute it — the outer step of the previous base over the
 * accepted lanes' deltas of the previous round ({@link AcceptedDeltas}, fetched from the miners and
 * checked against their committed hashes) once that round is finalized; round 0's base is the
 * stage's initial parameters. The base of round r is <em>decisive</em> when the base of round r-1
 * was decisive and every accepted delta of round r-1 was obtained: a committed {@code baseHash}
 * that differs from it is a wrong result. A delta that could not be obtained is asked for again at
 * the next try, until the miners' bases of round r are all committed.
 *
 * <p>When an accepted delta cannot be obtained, the outer step without it is the base only if some
 * miner of the stage committed exactly that hash (the miners could not obtain the delta either); it
 * is then kept to go on from, but never used to accuse anyone, and neither is any base stepped from
 * it (the miners who had the delta went on from another base). Otherwise the stage's bases are lost
 * from that round on, which the log says once. Bases are stored in the validator's data folder
 * ({@code base-s<stage>-r<round>}, the four newest per stage), so a restart goes on from there.
 */
final class BaseTracker implements StepChecker.Bases {
  private static final Logger LOG = LoggerFactory.getLogger(BaseTracker.class);
  private static final int KEEP_ROUNDS = 4;

  private record Known(OuterState state, boolean decisive) {
    byte[] encode() {
      byte[] s = state.encode();
      byte[] out = Arrays.copyOf(new byte[] {(byte) (decisive ? 1 : 0)}, 1 + s.length);
      System.arraycopy(s, 0, out, 1, s.length);
      return out;
    }

    static Known decode(byte[] bytes) {
      return new Known(
          OuterState.decode(Arrays.copyOfRange(bytes, 1, bytes.length)), bytes[0] == 1);
    }
  }

  /** What the aggregation check reads from (and does on) the chain. */
  interface Chain {
    int stageCount();

    /** Whether the stage had miners in the round (none: its base is unchanged). */
    boolean hasMiners(int stage, long round);

    boolean convicted(long round, Address miner);

    /**
     * Whether the miner was available on a strict majority of the round's attestations (read once
     * the round is finalized: final then).
     */
    boolean available(long round, Address miner);

    /** Whether the round is finalized, finalizing it when its vote window is over. */
    boolean finalized(long round);

    long blockNumber();

    long commitDeadline(long round);
  }

  /** A committed delta, fetched from its miner and checked against the committed hash. */
  @FunctionalInterface
  interface Deltas {
    Fetched<List<HostTensor>> fetch(RoundView view, Address miner);
  }

  private final Chain chain;
  private final LongFunction<RoundView> views;
  private final Deltas deltas;
  private final MarkerStore store;
  private final IntFunction<List<HostTensor>> initialParams;
  private final OuterStep outer;
  private final Map<Integer, Map.Entry<Long, Known>> newest = new HashMap<>();
  private final Map<Integer, Long> lostFrom = new HashMap<>();
  private final Set<String> said = new HashSet<>();
  private final Map<Address, List<HostTensor>> obtained = new HashMap<>();
  private long obtainedRound = -1;
  private int stages = -1;

  /**
   * @param store where bases are kept (a folder of its own)
   * @param initialParams each stage's round-0 parameters, from the run's specs
   */
  BaseTracker(
      ProtocolClient chain,
      LongFunction<RoundView> views,
      Deltas deltas,
      MarkerStore store,
      IntFunction<List<HostTensor>> initialParams,
      OuterStep outer) {
    this(onChain(chain), views, deltas, store, initialParams, outer);
  }

  BaseTracker(
      Chain chain,
      LongFunction<RoundView> views,
      Deltas deltas,
      MarkerStore store,
      IntFunction<List<HostTensor>> initialParams,
      OuterStep outer) {
    this.chain = chain;
    this.views = views;
    this.deltas = deltas;
    this.store = store;
    this.initialParams = initialParams;
    this.outer = outer;
  }

  @Override
  public synchronized Optional<Bytes32> expected(int stage, long round) {
    return known(stage, round).filter(Known::decisive).map(k -> k.state().baseHash());
  }

  /**
   * Works out every stage's base of {@code round} ahead of its check (the node calls it while the
   * round's commit window is open, once the previous round is final), so that the check itself
   * finds it ready.
   */
  synchronized void prepare(long round) {
    if (stages < 0) {
      stages = chain.stageCount();
    }
    for (int s = 0; s < stages; s++) {
      known(s, round);
    }
  }

  /** The stage's base at the start of {@code round}, stepping forward from the newest one known. */
  private Optional<Known> known(int stage, long round) {
    if (lostFrom.containsKey(stage) && round >= lostFrom.get(stage)) {
      return Optional.empty();
    }
    long q = round;
    Known k = null;
    for (; q > 0; q--) {
      Optional<Known> stored = stored(stage, q);
      if (stored.isPresent()) {
        k = stored.get();
        break;
      }
    }
    if (k == null && newest.containsKey(stage)) {
      return Optional.empty(); // older than the bases kept: not rebuilt from round 0
    }
    if (k == null) {
      k = new Known(OuterState.initial(initialParams.apply(stage)), true);
    }
    for (; q < round; q++) {
      Optional<Known> next = step(stage, q, k);
      if (next.isEmpty()) {
        return Optional.empty();
      }
      k = next.get();
      keep(stage, q + 1, k);
    }
    return Optional.of(k);
  }

  /**
   * The base of round q+1 from the base of round q; empty while round q is not final or while the
   * base cannot be determined. It is decisive only when the base of round q was decisive and every
   * accepted delta of round q was obtained: a base stepped from one that is not sure is not sure
   * either, whatever deltas follow.
   */
  private Optional<Known> step(int stage, long q, Known base) {
    if (!chain.hasMiners(stage, q)) {
      return Optional.of(base);
    }
    if (!chain.finalized(q)) {
      sayOnce(
          "wait-" + stage + "-" + q,
          "round {} is not finalized yet: the stage {} base of round {} is not known yet",
          q,
          stage,
          q + 1);
      return Optional.empty();
    }
    RoundView view = views.apply(q);
    AcceptedDeltas.Result accepted =
        AcceptedDeltas.collect(
            view.lanes(),
            stage,
            m -> chain.convicted(q, m),
            view.commitments()::containsKey,
            m -> chain.available(q, m),
            m -> obtained(view, m));
    OuterState next = outer.apply(base.state(), accepted.deltas());
    if (accepted.complete()) {
      LOG.info(
          "round {}: {} lanes, {} accepted in stage {} ({}): the base of round {} is {}",
          q,
          view.lanes().lanes().size(),
          accepted.deltas().size(),
          stage,
          accepted.members(),
          q + 1,
          next.baseHash());
      for (List<Address> lane : view.lanes().lanes()) {
        obtained.remove(lane.get(stage));
      }
      if (!base.decisive()) {
        sayOnce(
            "unsure-" + stage + "-" + (q + 1),
            "the stage {} base of round {} follows a base that was not sure: not used to accuse"
                + " anyone",
            stage,
            q + 1);
      }
      return Optional.of(new Known(next, base.decisive()));
    }
    if (chain.blockNumber() <= chain.commitDeadline(q + 1)) {
      return Optional.empty(); // the miners' bases of round q+1 are not all committed yet
    }
    RoundView following = views.apply(q + 1);
    boolean committedByAMiner =
        following.commitments().values().stream()
            .anyMatch(c -> c.stage() == stage && c.commitment().baseHash().equals(next.baseHash()));
    if (committedByAMiner) {
      LOG.info(
          "round {}: no delta from {}; the stage {} base of round {} is taken from the miners who"
              + " aggregated without it too, and not used to accuse anyone",
          q,
          accepted.unavailable(),
          stage,
          q + 1);
      return Optional.of(new Known(next, false));
    }
    lostFrom.put(stage, q + 1);
    LOG.warn(
        "round {}: no delta from {} and no miner of stage {} committed the base without it: the"
            + " aggregation of stage {} is not checked from round {} on",
        q,
        accepted.unavailable(),
        stage,
        stage,
        q + 1);
    return Optional.empty();
  }

  /**
   * A delta of the round being stepped, fetched once it is obtained; one that could not be obtained
   * is asked for again at the next try.
   */
  private Optional<List<HostTensor>> obtained(RoundView view, Address miner) {
    if (view.round() != obtainedRound) {
      obtained.clear();
      obtainedRound = view.round();
    }
    List<HostTensor> d = obtained.get(miner);
    if (d == null) {
      Fetched<List<HostTensor>> fetched = deltas.fetch(view, miner);
      if (!fetched.ok()) {
        sayOnce(
            "delta-" + view.round() + "-" + miner,
            "round {}: the delta of {}: {} (asked for again while the next bases are awaited)",
            view.round(),
            miner,
            fetched.failure());
        return Optional.empty();
      }
      d = fetched.value();
      obtained.put(miner, d);
    }
    return Optional.of(d);
  }

  /** The chain as {@link ProtocolClient} reads it. */
  private static Chain onChain(ProtocolClient chain) {
    Map<Long, Availability> availability = new HashMap<>();
    return new Chain() {
      @Override
      public boolean available(long round, Address miner) {
        availability.keySet().removeIf(r -> r < round - 2);
        return availability.computeIfAbsent(round, chain.runs()::availability).available(miner);
      }

      @Override
      public int stageCount() {
        return chain.runs().spec().stageCount();
      }

      @Override
      public boolean hasMiners(int stage, long round) {
        return !chain.runs().minersAt(stage, round).isEmpty();
      }

      @Override
      public boolean convicted(long round, Address miner) {
        return chain.runs().commitmentOf(round, miner.toHex()).convicted();
      }

      @Override
      public boolean finalized(long q) {
        if (chain.runs().roundInfo(q).finalized()) {
          return true;
        }
        if (chain.blockNumber() + 1 > chain.runs().clock(q).voteEnd()) {
          try {
            chain.runs().finalizeRound(q);
          } catch (ProtocolRevertException e) {
            LOG.debug("round {}: not finalized: {}", q, e.getMessage());
          }
        }
        return chain.runs().roundInfo(q).finalized();
      }

      @Override
      public long blockNumber() {
        return chain.blockNumber();
      }

      @Override
      public long commitDeadline(long round) {
        return chain.runs().clock(round).commitDeadline();
      }
    };
  }

  /** Deltas from the miners' {@code /delta}, checked against their committed hashes. */
  static Deltas fetcher(ArtifactClient client) {
    return (view, miner) -> {
      String endpoint = view.endpoints().get(miner);
      if (endpoint == null) {
        return Fetched.fail("no endpoint known");
      }
      return client.delta(
          miner,
          endpoint.replaceAll("/$", ""),
          view.round(),
          TensorCodec::decodeList,
          TensorCodec::hashList,
          view.commitments().get(miner).commitment().deltaHash());
    };
  }

  private Optional<Known> stored(int stage, long round) {
    Map.Entry<Long, Known> n = newest.get(stage);
    if (n != null && n.getKey() == round) {
      return Optional.of(n.getValue());
    }
    return store.getBytes(key(stage, round)).map(Known::decode);
  }

  private void keep(int stage, long round, Known k) {
    newest.put(stage, Map.entry(round, k));
    store.putBytes(key(stage, round), k.encode());
    store.remove(key(stage, round - KEEP_ROUNDS));
  }

  private static String key(int stage, long round) {
    return "base-s" + stage + "-r" + Math.max(0, round);
  }

  private void sayOnce(String key, String format, Object... args) {
    if (said.add(key)) {
      LOG.info(format, args);
    }
  }
}
