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
import java.util.List;
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
                b(2),
                b(12),
                b(1),
                b(3)));
    assertThat(ch.kind()).isEqualTo(FaultKind.UNAVAILABLE);
    assertThat(ch.status()).isEqualTo(ChallengeStatus.INNOCENT);
    assertThat(ch.open()).isFalse();
    assertThat(ch.evidenceHash()).isEqualTo(Bytes32.ZERO);
    assertThat(ch.innocentVotes()).isEqualTo(2);
    assertThat(List.of(ch.drawBlock(), (long) ch.draws(), (long) ch.seats()))
        .containsExactly(12L, 1L, 3L);
  }

  @Test
  void shouldTellWhenAJuryCanBeDrawnAndAChallengeResolved() {
    Challenge undrawn = challenge(0, 0, 100, 0);
    assertThat(undrawn.juryDue()).isTrue();
    // drawn from the hash of block 100: by a transaction in 101 .. 100 + 256
    assertThat(undrawn.drawableAt(100)).isFalse();
    assertThat(undrawn.drawableAt(101)).isTrue();
    assertThat(undrawn.drawableAt(100 + Challenge.DRAW_BLOCKS)).isTrue();
    assertThat(undrawn.drawableAt(101 + Challenge.DRAW_BLOCKS)).isFalse();
    // resolvable only once it can no longer be drawn
    assertThat(undrawn.resolvableAt(100 + Challenge.DRAW_BLOCKS)).isFalse();
    assertThat(undrawn.resolvableAt(101 + Challenge.DRAW_BLOCKS)).isTrue();

    Challenge sitting = challenge(110, 120, 100, 1);
    assertThat(sitting.juryDue()).isFalse();
    assertThat(sitting.drawableAt(105)).isFalse();
    assertThat(sitting.resolvableAt(120)).isFalse();
    assertThat(sitting.resolvableAt(121)).isTrue();
  }

  private static Challenge challenge(long commitEnd, long voteEnd, long drawBlock, int draws) {
    return new Challenge(
        1,
        0,
        "0xa1",
        "0xb2",
        FaultKind.WRONG_RESULT,
        1,
        Bytes32.ZERO,
        BigInteger.ONE,
        ChallengeStatus.OPEN,
        BigInteger.ONE,
        5000,
        commitEnd,
        voteEnd,
        0,
        0,
        drawBlock,
        draws,
        3);
  }
}
