package io.protolearn.protocol.round;

import io.protolearn.protocol.crypto.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which miners' committed updates were available in a round (DESIGN.md §7 v2), from the chain
 * alone. Each attesting validator puts a bitmap in its {@code attest}: bit i (of word i / 256) for
 * the i-th miner of the round in <em>round order</em> — stage 0's {@code minersAt} list, then stage
 * 1's, and so on. A miner is available when a strict majority of the round's attesting validators
 * set its bit; with no attester nobody is. Bits past the round's miners are ignored.
 */
public final class Availability {
  /** Words of a bitmap the contract takes ({@code RunManager.MAX_AVAILABILITY_WORDS}). */
  public static final int MAX_WORDS = 8;

  private final List<Address> order;
  private final Set<Address> available;

  private Availability(List<Address> order, Set<Address> available) {
    this.order = order;
    this.available = available;
  }

  /** The round's miners in round order: each stage's snapshot list, stage by stage. */
  public static List<Address> roundOrder(List<List<Address>> minersByStage) {
    List<Address> out = new ArrayList<>();
    minersByStage.forEach(out::addAll);
    return List.copyOf(out);
  }

  /**
   * The bitmap marking {@code marked} among {@code order}; words after the last set bit are left
   * out (none set: no words).
   *
   * @throws IllegalArgumentException when a marked miner sits past {@link #MAX_WORDS} words
   */
  public static List<BigInteger> encode(List<Address> order, Collection<Address> marked) {
    Map<Address, Integer> index = indexOf(order);
    BigInteger bits = BigInteger.ZERO;
    for (Address m : marked) {
      Integer i = index.get(m);
      if (i == null) {
        continue;
      }
      if (i >= MAX_WORDS * 256) {
        throw new IllegalArgumentException(
            "miner " + i + " of the round is past the " + MAX_WORDS * 256 + " a bitmap holds");
      }
      bits = bits.setBit(i);
    }
    List<BigInteger> words = new ArrayList<>();
    BigInteger mask = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    while (bits.signum() > 0) {
      words.add(bits.and(mask));
      bits = bits.shiftRight(256);
    }
    return List.copyOf(words);
  }

  /** The miners of {@code order} whose bits are set in {@code words}. */
  public static Set<Address> decode(List<Address> order, List<BigInteger> words) {
    Set<Address> out = new HashSet<>();
    for (int i = 0; i < order.size() && i / 256 < words.size(); i++) {
      if (words.get(i / 256).testBit(i % 256)) {
        out.add(order.get(i));
      }
    }
    return out;
  }

  /**
   * @param order the round's miners in round order
   * @param bitmaps the bitmap of every validator that attested the round (one entry each)
   */
  public static Availability tally(List<Address> order, Collection<List<BigInteger>> bitmaps) {
    Map<Address, Integer> votes = new HashMap<>();
    for (List<BigInteger> words : bitmaps) {
      for (Address m : decode(order, words)) {
        votes.merge(m, 1, Integer::sum);
      }
    }
    Set<Address> available = new HashSet<>();
    votes.forEach(
        (m, n) -> {
          if (2L * n > bitmaps.size()) {
            available.add(m);
          }
        });
    return new Availability(List.copyOf(order), Set.copyOf(available));
  }

  public boolean available(Address miner) {
    return available.contains(miner);
  }

  public Set<Address> availableMiners() {
    return available;
  }

  public List<Address> order() {
    return order;
  }

  private static Map<Address, Integer> indexOf(List<Address> order) {
    Map<Address, Integer> index = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      index.putIfAbsent(order.get(i), i);
    }
    return index;
  }
}
