package io.protolearn.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import io.protolearn.protocol.crypto.Secp256k1;
import java.math.BigInteger;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SignerReplayCachesTest {
  private static final Address MEMBER = Secp256k1.fromPrivateKey(BigInteger.ONE).address();

  private static Address key(int i) {
    return Secp256k1.fromPrivateKey(BigInteger.valueOf(1000 + i)).address();
  }

  private static Bytes32 d(int i) {
    return new Bytes32(Keccak.keccak256(BigInteger.valueOf(i).toByteArray()));
  }

  @Test
  void shouldLimitEachSignerToItsOwnCache() {
    SignerReplayCaches caches = new SignerReplayCaches(2, 8, 1_000, Set.of(MEMBER)::contains);
    assertThat(caches.record(key(1), d(1), 0)).isEqualTo(SignerReplayCaches.Outcome.FRESH);
    assertThat(caches.record(key(1), d(2), 0)).isEqualTo(SignerReplayCaches.Outcome.FRESH);
    assertThat(caches.record(key(1), d(3), 0)).isEqualTo(SignerReplayCaches.Outcome.SIGNER_FULL);
    assertThat(caches.record(key(1), d(1), 10)).isEqualTo(SignerReplayCaches.Outcome.REPLAY);
    assertThat(caches.record(MEMBER, d(3), 10)).isEqualTo(SignerReplayCaches.Outcome.FRESH);
    // the window over, the signer's room comes back
    assertThat(caches.record(key(1), d(3), 1_000)).isEqualTo(SignerReplayCaches.Outcome.FRESH);
  }

  @Test
  void shouldKeepRoomForAMemberAgainstAFloodOfFreshKeys() {
    // an unregistered sender minting a key per request takes every signer slot; a run member
    // arriving then still gets one (displacing an unregistered signer), a newcomer does not
    SignerReplayCaches caches = new SignerReplayCaches(4, 3, 60_000, Set.of(MEMBER)::contains);
    for (int i = 0; i < 3; i++) {
      assertThat(caches.record(key(i), d(i), 0)).isEqualTo(SignerReplayCaches.Outcome.FRESH);
    }
    assertThat(caches.record(key(9), d(9), 1)).isEqualTo(SignerReplayCaches.Outcome.NO_ROOM);
    assertThat(caches.record(MEMBER, d(10), 2)).isEqualTo(SignerReplayCaches.Outcome.FRESH);
    assertThat(caches.record(MEMBER, d(10), 3)).isEqualTo(SignerReplayCaches.Outcome.REPLAY);
    assertThat(caches.signers()).isEqualTo(3);
    // a slot whose digests all expired is reused by anyone
    assertThat(caches.record(key(9), d(11), 60_001)).isEqualTo(SignerReplayCaches.Outcome.FRESH);
  }
}
