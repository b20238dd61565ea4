package io.protolearn.validator.node;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.validator.node.CheckOutcome.Fault;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accusations a validator holds for a last try before filing them (DESIGN §5 v2, {@link
 * RoundChecks#unavailableFileBlock}): the round's unavailable steps and the committed updates it
 * has not verified. Each round's are written to a marker ({@code held-<round>}), so a validator
 * restarted between its checks and the filing block still tries and files them — before, they lived
 * in memory only, and a restart let a withholding miner go unaccused by this validator.
 */
final class HeldFaults {
  private static final Logger LOG = LoggerFactory.getLogger(HeldFaults.class);
  private static final String PREFIX = "held-";

  /**
   * Steps found unavailable, filed only if still unavailable at {@code fileAt}; and the round's
   * updates, each challenged as unavailable ({@code step = stepCount}, DESIGN §7 v2) if neither the
   * availability pass verified it by then nor a last try does.
   */
  record Held(RoundView view, List<Fault> faults, Set<Address> verified, long fileAt) {
    /** What the last try asks for: the held steps, then every update not verified. */
    List<Fault> tries() {
      List<Fault> tries = new ArrayList<>(faults);
      for (RoundView.Committed c : unverified()) {
        tries.add(
            new CheckOutcome.Unavailable(
                c.miner(),
                Math.toIntExact(c.commitment().stepCount()),
                "its update was not verified in the check window"));
      }
      return tries;
    }

    /** The round's commitments whose update the availability pass has not verified (yet). */
    List<RoundView.Committed> unverified() {
      return view.commitments().values().stream()
          .filter(c -> !verified.contains(c.miner()))
          .toList();
    }
  }

  private final MarkerStore markers;
  private final Map<Long, Held> held = new TreeMap<>();

  HeldFaults(MarkerStore markers) {
    this.markers = markers;
  }

  /**
   * Writes what {@code held} holds now (its updates not verified yet included: one verified later
   * costs a restarted validator one more fetch, nothing more).
   */
  void put(Held h) {
    StringBuilder b = new StringBuilder("fileAt ").append(h.fileAt()).append('\n');
    for (Fault f : h.faults()) {
      b.append("step ").append(f.accused().toHex()).append(' ').append(f.step()).append('\n');
    }
    for (RoundView.Committed c : h.unverified()) {
      b.append("update ").append(c.miner().toHex()).append('\n');
    }
    markers.put(PREFIX + h.view().round(), b.toString());
    held.put(h.view().round(), h);
  }

  /** The held rounds whose filing block came by {@code head}, oldest first. */
  List<Held> due(long head) {
    return held.values().stream().filter(h -> head >= h.fileAt()).toList();
  }

  /** Whether any round's accusations are still held. */
  boolean isEmpty() {
    return held.isEmpty();
  }

  /** The round's held accusations are settled (filed, or nothing left to file). */
  void remove(long round) {
    held.remove(round);
    markers.remove(PREFIX + round);
  }

  /**
   * Reads back, after a restart, the held accusations of rounds whose check window is still open at
   * {@code head}; the markers of the others are dropped (nothing can be filed for them any more).
   */
  void recover(LongFunction<RoundView> views, long head) {
    for (String key : markers.keys(PREFIX)) {
      long round;
      try {
        round = Long.parseLong(key.substring(PREFIX.length()));
      } catch (NumberFormatException e) {
        continue; // not one of ours
      }
      try {
        RoundView view = views.apply(round);
        if (head > view.checkEnd()) {
          remove(round);
          continue;
        }
        held.put(round, decode(view, markers.get(key).orElse("")));
        LOG.info("round {}: accusations held before a restart, tried again before filing", round);
      } catch (RuntimeException e) {
        LOG.warn("round {}: held accusations not read back: {}", round, e.getMessage());
      }
    }
  }

  private static Held decode(RoundView view, String text) {
    long fileAt = -1;
    List<Fault> faults = new ArrayList<>();
    Set<Address> unverified = new HashSet<>();
    for (String line : text.split("\n")) {
      String[] p = line.trim().split(" ");
      switch (p[0]) {
        case "fileAt" -> fileAt = Long.parseLong(p[1]);
        case "step" ->
            faults.add(
                new CheckOutcome.Unavailable(
                    Address.fromHex(p[1]), Integer.parseInt(p[2]), "held across a restart"));
        case "update" -> unverified.add(Address.fromHex(p[1]));
        default -> {
          // a blank line
        }
      }
    }
    if (fileAt < 0) {
      throw new IllegalStateException("held accusations without a filing block");
    }
    Set<Address> verified = new HashSet<>(view.commitments().keySet());
    verified.removeAll(unverified);
    return new Held(view, faults, verified, fileAt);
  }
}
