package io.protolearn.protocol.round;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.protolearn.protocol.crypto.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvailabilityTest {
  private static Address a(int i) {
    return Address.fromHex(String.format("0x%040x", i + 1));
  }

  private static List<Address> miners(int n) {
    List<Address> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(a(i));
    }
    return out;
  }

  @Test
  void shouldPutStageZeroFirstAndSetOneBitPerMarkedMiner() {
    List<Address> order = Availability.roundOrder(List.of(List.of(a(7), a(3)), List.of(a(5))));
    assertThat(order).containsExactly(a(7), a(3), a(5));
    assertThat(Availability.encode(order, List.of(a(5), a(7))))
        .containsExactly(BigInteger.valueOf(0b101));
    assertThat(Availability.encode(order, List.of())).isEmpty();
    // a miner not of the round is no bit
    assertThat(Availability.encode(order, List.of(a(99)))).isEmpty();
  }

  @Test
  void shouldRoundTripAcrossWordsAndRefuseMinersPastTheLastWord() {
    List<Address> order = miners(600);
    List<Address> marked = List.of(a(0), a(255), a(256), a(599));
    List<BigInteger> words = Availability.encode(order, marked);
    assertThat(words).hasSize(3);
    assertThat(words.get(0).bitLength()).isLessThanOrEqualTo(256);
    assertThat(Availability.decode(order, words)).containsExactlyInAnyOrderElementsOf(marked);
    List<Address> tooMany = miners(Availability.MAX_WORDS * 256 + 1);
    assertThatThrownBy(() -> Availability.encode(tooMany, List.of(tooMany.get(tooMany.size() - 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2048");
  }

  @Test
  void shouldNeedAStrictMajorityOfTheAttesters() {
    List<Address> order = miners(3);
    List<BigInteger> first = Availability.encode(order, List.of(a(0), a(1)));
    List<BigInteger> second = Availability.encode(order, List.of(a(0)));
    List<BigInteger> lazy = Availability.encode(order, order);
    List<BigInteger> none = List.of();
    // 4 attesters: 3 of 4 is a majority, 2 of 4 is not
    Availability four = Availability.tally(order, List.of(first, second, lazy, none));
    assertThat(four.availableMiners()).containsExactly(a(0));
    // 3 attesters: 2 of 3 is
    Availability three = Availability.tally(order, List.of(first, second, lazy));
    assertThat(three.availableMiners()).containsExactlyInAnyOrder(a(0), a(1));
    // nobody attested: nobody is available
    assertThat(Availability.tally(order, List.of()).availableMiners()).isEmpty();
  }

  @Test
  void shouldIgnoreBitsPastTheRoundsMiners() {
    List<Address> order = miners(2);
    assertThat(Availability.decode(order, List.of(BigInteger.valueOf(0b1110))))
        .containsExactly(a(1));
  }
}
