package io.protolearn.chain.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.protolearn.chain.contracts.DisputeManager;
import io.protolearn.chain.contracts.RunManager;
import io.protolearn.chain.model.Challenge;
import io.protolearn.chain.model.Member;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.dispute.ChallengeStatus;
import io.protolearn.protocol.dispute.FaultKind;
import io.protolearn.protocol.round.RoundClock;
import io.protolearn.protocol.run.MemberRole;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The generated wrappers' structs become the project's records with the contracts' codes. */
class ConvertTest {
  private static BigInteger b(long v) {
    return BigInteger.valueOf(v);
  }

  @Test
  void shouldReadTheRoundClockFieldByField() {
    RoundClock clock =
        Convert.clock(
            new RunManager.RoundClock(b(3), b(160), b(169), b(170), b(179), b(184), b(189)));
    assertThat(clock).isEqualTo(new RoundClock(3, 160, 169, 170, 179, 184, 189));
    assertThat(clock.finalizeFrom()).isEqualTo(190);
  }

  @Test
  void shouldReadTheMemberRoleCodes() {
    Member miner =
        Convert.member(new RunManager.Member(b(1), b(2), b(5), b(0xFFFFFFFFL), "http://m"));
    assertThat(miner.role()).isEqualTo(MemberRole.MINER);
    assertThat(miner.isMiner()).isTrue();
    assertThat(miner.active()).isTrue();
    Member left = Convert.member(new RunManager.Member(b(2), b(0), b(1), b(7), ""));
    assertThat(left.isValidator()).isTrue();
    assertThat(left.active()).isFalse();
    assertThat(Convert.member(new RunManager.Member(b(0), b(0), b(0), b(0), "")).role())
        .isEqualTo(MemberRole.NONE);
    assertThatThrownBy(() -> Convert.member(new RunManager.Member(b(3), b(0), b(0), b(0), "")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldReadTheChallengeKindAndStatus() {
    Challenge ch =
        Convert.challenge(
            new DisputeManager.Challenge(
                b(1),
                b(4),
                "0x00000000000000000000000000000000000000a1",
                "0x00000000000000000000000000000000000000b2",
                b(1),
                b(2),
                new byte[32],
                b(100),
                b(3),
                b(20),
                b(5000),
                b(30),
                b(35),
                b(0),
                b(2)));
    assertThat(ch.kind()).isEqualTo(FaultKind.UNAVAILABLE);
    assertThat(ch.status()).isEqualTo(ChallengeStatus.INNOCENT);
    assertThat(ch.open()).isFalse();
    assertThat(ch.evidenceHash()).isEqualTo(Bytes32.ZERO);
    assertThat(ch.innocentVotes()).isEqualTo(2);
  }
}
