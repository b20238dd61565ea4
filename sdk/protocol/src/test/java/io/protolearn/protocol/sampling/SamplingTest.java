package io.protolearn.protocol.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.protolearn.protocol.Golden;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import org.junit.jupiter.api.Test;

class SamplingTest {
  private final JsonNode golden = Golden.resource("ethers-sampling.json");
  private final Bytes32 seed = Bytes32.fromHex(golden.get("seed").asText());
  private final Address miner = Address.fromHex(golden.get("miner").asText());

  @Test
  void shouldSampleExactlyTheStepsSolidityWould() {
    for (JsonNode s : golden.get("steps")) {
      int step = s.get("step").asInt();
      int mod = s.get("mod10000").asInt();
      assertThat(Sampling.isSampled(seed, miner, step, mod + 1)).isTrue();
      assertThat(Sampling.isSampled(seed, miner, step, mod)).isFalse();
    }
  }

  @Test
  void shouldAssignTheValidatorSolidityWould() {
    for (JsonNode s : golden.get("steps")) {
      assertThat(Sampling.assignedValidator(seed, miner, s.get("step").asInt(), 5))
          .isEqualTo(s.get("assign5").asInt());
    }
  }

  @Test
  void shouldSampleNothingAtZeroAndEverythingAtFullRate() {
    assertThat(Sampling.sampledSteps(seed, miner, 40, 0)).isEmpty();
    assertThat(Sampling.sampledSteps(seed, miner, 40, 10_000)).hasSize(40);
  }

  @Test
  void shouldRejectOutOfBoundRates() {
    assertThatThrownBy(() -> Sampling.isSampled(seed, miner, 0, 10_001))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Sampling.assignedValidator(seed, miner, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
