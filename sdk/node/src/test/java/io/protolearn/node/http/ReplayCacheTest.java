package io.protolearn.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import org.junit.jupiter.api.Test;

class ReplayCacheTest {
  private static Bytes32 d(int i) {
    return new Bytes32(Keccak.keccak256(new byte[] {(byte) i}));
  }

  @Test
  void shouldRefuseADigestSeenWithinTheRetention() {
    ReplayCache cache = new ReplayCache(10, 1_000);
    assertThat(cache.record(d(1), 0)).isEqualTo(ReplayCache.Outcome.FRESH);
    assertThat(cache.record(d(1), 999)).isEqualTo(ReplayCache.Outcome.REPLAY);
    assertThat(cache.record(d(1), 1_000)).isEqualTo(ReplayCache.Outcome.FRESH);
  }

  @Test
  void shouldStayBoundedAndRefuseRatherThanForgetLiveEntries() {
    ReplayCache cache = new ReplayCache(2, 1_000);
    assertThat(cache.record(d(1), 0)).isEqualTo(ReplayCache.Outcome.FRESH);
    assertThat(cache.record(d(2), 10)).isEqualTo(ReplayCache.Outcome.FRESH);
    assertThat(cache.record(d(3), 20)).isEqualTo(ReplayCache.Outcome.FULL);
    assertThat(cache.record(d(1), 30)).isEqualTo(ReplayCache.Outcome.REPLAY);
    assertThat(cache.record(d(3), 1_000)).isEqualTo(ReplayCache.Outcome.FRESH);
    assertThat(cache.size()).isEqualTo(2);
  }
}
