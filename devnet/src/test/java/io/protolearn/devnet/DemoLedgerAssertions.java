package io.protolearn.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.protolearn.protocol.economics.Rewards;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/** Checks of a demo report against DESIGN.md §7 and the chain, shared by the demo ITs. */
final class DemoLedgerAssertions {
  private DemoLedgerAssertions() {}

  static void assertHeldOutLossFalls(JsonNode report) {
    double initial = report.get("initialHeldOutLoss").asDouble();
    JsonNode rounds = report.get("perRound");
    JsonNode last = rounds.get(rounds.size() - 1).get("heldOutLoss");
    assertThat(last.isNumber()).as("held-out loss of the last round in %s", rounds).isTrue();
    assertThat(last.asDouble()).isLessThan(initial);
  }

  /**
   * DESIGN §7, recomputed with {@link Rewards} from the chain's per-round figures in the report's
   * ledger, against each participant's ModelShares balance and the total supply.
   */
  static void assertSharesMatchDesign(JsonNode report) {
    Map<String, BigInteger> expected = new HashMap<>();
    for (JsonNode round : report.get("ledger")) {
      BigInteger spr = new BigInteger(round.get("sharesPerRound").asText());
      int bps = Integer.parseInt(round.get("validatorShareBps").asText());
      long accepted = Long.parseLong(round.get("acceptedSteps").asText());
      long attesters = Long.parseLong(round.get("attesters").asText());
      for (JsonNode p : round.get("participants")) {
        if (!p.get("claimed").asBoolean()) {
          continue;
        }
        BigInteger amount =
            p.has("stepCount")
                ? Rewards.minerReward(
                    spr, bps, Long.parseLong(p.get("stepCount").asText()), accepted)
                : Rewards.validatorReward(spr, bps, attesters);
        expected.merge(p.get("name").asText(), amount, BigInteger::add);
      }
    }
    BigInteger total = BigInteger.ZERO;
    for (JsonNode p : report.get("participants")) {
      BigInteger shares = new BigInteger(p.get("shares").asText());
      assertThat(shares)
          .as("shares of %s", p.get("name"))
          .isEqualTo(expected.getOrDefault(p.get("name").asText(), BigInteger.ZERO));
      total = total.add(shares);
    }
    assertThat(total).isPositive().isEqualTo(new BigInteger(report.get("totalShares").asText()));
  }

  static void assertStakesMatchSlashes(JsonNode report) {
    for (JsonNode p : report.get("participants")) {
      assertThat(new BigInteger(p.get("stakeEnd").asText()))
          .as("stake of %s", p.get("name"))
          .isEqualTo(
              new BigInteger(p.get("stakeStart").asText())
                  .subtract(new BigInteger(p.get("slashedWei").asText())));
    }
  }

  /**
   * The per-round series of the report's plots: one point per reported round, stake never rising
   * and ending at or above the final stake (a later round's slash is not plotted), shares never
   * falling and ending at or below the final balance.
   */
  static void assertSeriesConsistent(JsonNode report) {
    int rounds = report.get("perRound").size();
    for (JsonNode p : report.get("participants")) {
      JsonNode stake = p.get("stakeByRound");
      JsonNode shares = p.get("sharesByRound");
      assertThat(stake).as("stake series of %s", p.get("name")).hasSize(rounds);
      assertThat(shares).as("shares series of %s", p.get("name")).hasSize(rounds);
      BigInteger previousStake = new BigInteger(p.get("stakeStart").asText());
      BigInteger previousShares = BigInteger.ZERO;
      for (int i = 0; i < rounds; i++) {
        BigInteger st = new BigInteger(stake.get(i).asText());
        BigInteger sh = new BigInteger(shares.get(i).asText());
        assertThat(st)
            .as("stake of %s after point %d", p.get("name"), i)
            .isLessThanOrEqualTo(previousStake);
        assertThat(sh)
            .as("shares of %s at point %d", p.get("name"), i)
            .isGreaterThanOrEqualTo(previousShares);
        previousStake = st;
        previousShares = sh;
      }
      assertThat(previousStake).isGreaterThanOrEqualTo(new BigInteger(p.get("stakeEnd").asText()));
      assertThat(previousShares).isLessThanOrEqualTo(new BigInteger(p.get("shares").asText()));
    }
  }

  /**
   * Every reported round settled before the report: each miner's commitment claimed unless it was
   * convicted, each attestation claimed, nothing of those rounds left claimable.
   */
  static void assertEveryReportedRoundClaimed(JsonNode report) {
    JsonNode rounds = report.get("perRound");
    long first = rounds.get(0).get("round").asLong();
    long last = rounds.get(rounds.size() - 1).get("round").asLong();
    for (JsonNode round : report.get("ledger")) {
      long r = round.get("round").asLong();
      if (r < first || r > last) {
        continue;
      }
      assertThat(round.get("finalized").asBoolean()).as("round %d finalized", r).isTrue();
      for (JsonNode p : round.get("participants")) {
        boolean convicted = p.has("convicted") && p.get("convicted").asBoolean();
        assertThat(p.get("claimed").asBoolean() || convicted)
            .as("round %d of %s claimed", r, p.get("name"))
            .isTrue();
      }
    }
  }
}
