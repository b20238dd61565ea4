package io.protolearn.protocol.dispute;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.protolearn.protocol.Golden;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.TensorMessage;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * contracts/test/vectors/evidence.json, computed by the contracts (DisputeManager's constants and
 * EIP-712 digest, the Evidence library): the Java fault kinds, statuses and evidence hashes must be
 * the same.
 */
class EvidenceVectorsTest {
  private static final JsonNode V = Golden.repoFile("contracts/test/vectors/evidence.json");

  @Test
  void shouldGiveEveryFaultKindTheContractsCodes() {
    assertThat(V.get("faultKinds")).hasSize(FaultKind.values().length);
    for (JsonNode k : V.get("faultKinds")) {
      FaultKind kind =
          k.get("jury").asBoolean()
              ? FaultKind.ofChallenge(k.get("kind").asInt())
              : FaultKind.ofFraud(k.get("kind").asInt());
      assertThat(kind.label()).isEqualTo(k.get("name").asText());
      assertThat(kind.tag()).as("tag of %s", kind).isEqualTo(k.get("tag").asInt());
      assertThat(kind.code()).isEqualTo(k.get("kind").asInt());
    }
    assertThat(Evidence.JUROR_TAG).isEqualTo(V.get("jurorTag").asInt());
  }

  @Test
  void shouldGiveEveryChallengeStatusTheContractsCode() {
    assertThat(ChallengeStatus.of(V.get("challengeStatus").get("open").asLong()))
        .isEqualTo(ChallengeStatus.OPEN);
    assertThat(ChallengeStatus.of(V.get("challengeStatus").get("guilty").asLong()))
        .isEqualTo(ChallengeStatus.GUILTY);
    assertThat(ChallengeStatus.of(V.get("challengeStatus").get("innocent").asLong()))
        .isEqualTo(ChallengeStatus.INNOCENT);
  }

  @Test
  void shouldHashChainBreaksAsTheContract() {
    check(
        "chainBreak",
        v -> Evidence.chainBreak(runId(v), round(v), miner(v), b(v, "leafA"), b(v, "leafB")));
  }

  @Test
  void shouldHashBaseMismatchesAsTheContract() {
    check("baseMismatch", v -> Evidence.baseMismatch(runId(v), round(v), miner(v), b(v, "leaf")));
  }

  @Test
  void shouldHashMalformedLeavesAsTheContract() {
    check("malformed", v -> Evidence.malformed(runId(v), round(v), miner(v), b(v, "leaf")));
  }

  @Test
  void shouldHashWrongResultsAsTheContract() {
    check("wrongResult", v -> Evidence.wrongResult(runId(v), round(v), miner(v), b(v, "leaf")));
  }

  @Test
  void shouldHashUnavailableStepsAsTheContract() {
    check(
        "unavailable",
        v -> Evidence.unavailable(runId(v), round(v), miner(v), v.get("step").asLong()));
  }

  @Test
  void shouldHashJurorForfeitsAsTheContract() {
    check(
        "jurorForfeit",
        v ->
            Evidence.jurorForfeit(
                v.get("challengeId").asLong(), Address.fromHex(v.get("juror").asText())));
  }

  @Test
  void shouldHashEquivocationsOfTheContractsDigest() {
    JsonNode d = V.get("domain");
    TensorMessage.Domain domain =
        new TensorMessage.Domain(
            d.get("chainId").asLong(), Address.fromHex(d.get("verifyingContract").asText()));
    check(
        "equivocation",
        v -> {
          JsonNode m = v.get("message");
          TensorMessage message =
              new TensorMessage(
                  m.get("runId").asLong(),
                  m.get("round").asLong(),
                  m.get("lane").asInt(),
                  m.get("step").asInt(),
                  m.get("fromStage").asInt(),
                  m.get("toStage").asInt(),
                  Bytes32.fromHex(m.get("tensorHash").asText()));
          assertThat(message.digest(domain)).isEqualTo(b(v, "digest"));
          return Evidence.equivocation(message.digest(domain));
        });
  }

  private static void check(String list, Function<JsonNode, Bytes32> hash) {
    assertThat(V.get(list)).as(list).hasSizeGreaterThanOrEqualTo(3);
    for (JsonNode v : V.get(list)) {
      assertThat(hash.apply(v).toHex()).as("%s %s", list, v).isEqualTo(v.get("hash").asText());
    }
  }

  private static long runId(JsonNode v) {
    return Long.parseLong(v.get("runId").asText());
  }

  private static long round(JsonNode v) {
    return Long.parseLong(v.get("round").asText());
  }

  private static Address miner(JsonNode v) {
    return Address.fromHex(v.get("miner").asText());
  }

  private static Bytes32 b(JsonNode v, String field) {
    return Bytes32.fromHex(v.get(field).asText());
  }
}
