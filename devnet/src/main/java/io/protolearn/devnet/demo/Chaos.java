package io.protolearn.devnet.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * {@code --chaos N}: N kills (-9) of honest nodes, miners and validators, at seeded random blocks
 * of the reported rounds; each node is picked once before any is picked again. The kills fall in
 * the windows given (the demo gives the first half of each round's commit window, when no checks or
 * votes are owed, so that a node restarted on its data is back before its duties: a node down in a
 * check or vote window is punished by the protocol, crash or not). The windows, laid end to end,
 * are cut into N equal slots and each kill falls at random in the first two thirds of its own slot,
 * so that one restart is under way at a time. The {@link NodeSupervisor} restarts every killed node
 * on its data.
 */
public final class Chaos {
  /** One planned kill: the node and the block from which it is due. */
  public record Kill(String name, long block) {}

  private final List<Kill> planned;
  private final List<Kill> done = new ArrayList<>();

  private Chaos(List<Kill> planned) {
    this.planned = planned;
  }

  public static final Chaos NONE = new Chaos(List.of());

  /** Blocks {@code from} (inclusive) to {@code to} (exclusive). */
  public record Window(long from, long to) {
    long length() {
      return to - from;
    }
  }

  /**
   * Plans {@code count} kills among {@code honest} nodes, due at blocks drawn in {@code windows},
   * all from {@code seed}.
   */
  public static Chaos plan(int count, long seed, List<String> honest, List<Window> windows) {
    long span = windows.stream().mapToLong(Window::length).sum();
    if (count == 0 || honest.isEmpty()) {
      return NONE;
    }
    if (span <= 0) {
      throw new IllegalArgumentException("no blocks to kill in: " + windows);
    }
    Random random = new Random(seed);
    List<String> order = new ArrayList<>();
    while (order.size() < count) {
      List<String> round = new ArrayList<>(honest);
      Collections.shuffle(round, random);
      order.addAll(round);
    }
    double slot = (double) span / count;
    List<Kill> kills = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long offset = (long) (slot * i + random.nextDouble() * slot * 2 / 3);
      kills.add(new Kill(order.get(i), blockAt(windows, offset)));
    }
    return new Chaos(List.copyOf(kills));
  }

  /** The block {@code offset} blocks into the windows laid end to end. */
  private static long blockAt(List<Window> windows, long offset) {
    for (Window w : windows) {
      if (offset < w.length()) {
        return w.from() + offset;
      }
      offset -= w.length();
    }
    Window last = windows.get(windows.size() - 1);
    return last.to() - 1;
  }

  /** The kills due at {@code head} and not yet done, marked done. */
  public List<Kill> due(long head) {
    List<Kill> now = new ArrayList<>();
    while (done.size() < planned.size() && planned.get(done.size()).block() <= head) {
      Kill k = planned.get(done.size());
      now.add(k);
      done.add(k);
    }
    return now;
  }

  public List<Kill> planned() {
    return planned;
  }

  /** The kills done so far, in order. */
  public List<Kill> done() {
    return List.copyOf(done);
  }
}
