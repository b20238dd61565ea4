package io.protolearn.protocol.round;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.protolearn.protocol.Golden;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * contracts/test/vectors/round-clock.json: RunManager.clockOf for eight rounds of a run whose
 * windows change from round 3. {@link RoundSchedule#clock} must give the same boundaries.
 */
class RoundClockVectorsTest {
  private static final JsonNode V = Golden.repoFile("contracts/test/vectors/round-clock.json");

  @Test
  void shouldComputeEveryRoundsBoundariesAsTheRunManager() {
    List<RoundSchedule> versions = new ArrayList<>();
    for (JsonNode v : V.get("versions")) {
      versions.add(
          new RoundSchedule(
              n(v, "fromRound"),
              n(v, "anchorBlock"),
              n(v, "commitBlocks"),
              n(v, "checkBlocks"),
              n(v, "voteBlocks")));
    }
    assertThat(versions).hasSize(2);
    assertThat(V.get("clocks").size()).isGreaterThan((int) versions.get(1).fromRound());
    for (JsonNode c : V.get("clocks")) {
      long round = n(c, "round");
      RoundSchedule inForce =
          versions.stream().filter(s -> s.fromRound() <= round).reduce((a, b) -> b).orElseThrow();
      assertThat(inForce.clock(round))
          .as("round %d", round)
          .isEqualTo(
              new RoundClock(
                  round,
                  n(c, "start"),
                  n(c, "commitDeadline"),
                  n(c, "seedBlock"),
                  n(c, "checkEnd"),
                  n(c, "voteCommitEnd"),
                  n(c, "voteEnd")));
    }
  }

  @Test
  void shouldFinalizeFromTheBlockAfterTheVotes() {
    RoundClock clock = new RoundSchedule(0, 100, 10, 10, 10).clock(2);
    assertThat(clock.start()).isEqualTo(160);
    assertThat(clock.voteEnd()).isEqualTo(189);
    assertThat(clock.finalizeFrom()).isEqualTo(190);
  }

  @Test
  void shouldRefuseARoundBeforeTheSchedule() {
    assertThatThrownBy(() -> new RoundSchedule(3, 100, 10, 10, 10).clock(2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static long n(JsonNode v, String field) {
    return Long.parseLong(v.get(field).asText());
  }
}
