package io.protolearn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class EtherTest {
  @Test
  void shouldParseDecimalEtherToWei() {
    assertThat(Ether.parse("2")).isEqualTo(new BigInteger("2000000000000000000"));
    assertThat(Ether.parse("0.5")).isEqualTo(new BigInteger("500000000000000000"));
    assertThat(Ether.parse("0.000000000000000001")).isEqualTo(BigInteger.ONE);
  }

  @Test
  void shouldRejectNonPositiveMalformedOrTooPreciseAmounts() {
    assertThatThrownBy(() -> Ether.parse("0")).hasMessageContaining("positive");
    assertThatThrownBy(() -> Ether.parse("-1")).hasMessageContaining("positive");
    assertThatThrownBy(() -> Ether.parse("two")).hasMessageContaining("not an amount");
    assertThatThrownBy(() -> Ether.parse("0.0000000000000000001"))
        .hasMessageContaining("18 decimals");
  }

  @Test
  void shouldFormatWeiAsEther() {
    assertThat(Ether.eth(new BigInteger("1500000000000000000"))).isEqualTo("1.5 ETH");
    assertThat(Ether.format(BigInteger.ZERO)).isEqualTo("0");
    assertThat(Ether.format(new BigInteger("400000000000000000000"))).isEqualTo("400");
  }

  @Test
  void shouldParseAndFormatSharesWithTheirOwnName() {
    assertThat(Ether.parse("10.5", "shares")).isEqualTo(new BigInteger("10500000000000000000"));
    assertThatThrownBy(() -> Ether.parse("lots", "shares"))
        .hasMessage("'lots' is not an amount of shares (e.g. 1.5)");
    assertThat(Ether.format(new BigInteger("1234567891000000000"), 6)).isEqualTo("1.234567");
    assertThat(Ether.format(new BigInteger("800000000000000000000"), 6)).isEqualTo("800");
    assertThat(Ether.format(BigInteger.ONE, 6)).isEqualTo("0");
  }
}
