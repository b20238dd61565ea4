package io.protolearn.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A miner that serves validators everything but refuses its commitment and delta to its stage peers
 * (DESIGN §7 v2, issue #13 "selective serving"): its steps check and a majority of validators
 * verify its update, so its lane is accepted, and its stage peers cannot obtain its delta from it.
 * Before validators re-served verified updates, the honest peer sat out every round from then on
 * (it could never compute the base). Now it fetches the update from a validator by its committed
 * hash, keeps committing, and commits the base the validators compute.
 *
 * <p>Beside it, a jury-grinder pair of validators (DESIGN §6 v2, issue #12): each accuses an honest
 * miner without cause and votes guilty on every jury it sits on. With the jury drawn from a block's
 * hash after filing, the honest majority acquits, the pair loses bonds, no honest miner is slashed.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class DemoPeerWithholderIT {

  @Test
  void shouldKeepHonestPeersOfAPeerWithholderTrainingOnTheBaseTheValidatorsCompute(
      @TempDir Path dir) throws Exception {
    long t0 = System.nanoTime();
    int code =
        DevnetCommand.execute(
            "demo",
            "--dir",
            dir.toString(),
            "--replicas",
            "1",
            "--validators",
            "3",
            "--rounds",
            "2",
            "--adversaries",
            "peer-withholder,jury-grinder",
            "--commit-blocks",
            "20",
            "--check-blocks",
            "16",
            "--vote-blocks",
            "16");
    System.out.printf(
        "demo with a peer-withholder and a jury-grinder pair took %.0f s%n",
        (System.nanoTime() - t0) / 1e9);
    assertThat(code).as("exit code; node logs in %s", dir.resolve("nodes")).isZero();
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    System.out.println(report.toPrettyString());

    NodeLogDigest.onFailure(dir, report, () -> check(dir, report));
  }

  private static void check(Path dir, JsonNode report) throws Exception {
    StringBuilder honestStage1Logs = new StringBuilder();
    for (JsonNode p : report.get("participants")) {
      String name = p.get("name").asText();
      assertThat(new BigInteger(p.get("slashedWei").asText())).as("%s slashed", p).isZero();
      if (!p.get("role").asText().equals("miner") || !p.get("kind").asText().startsWith("honest")) {
        continue;
      }
      for (JsonNode round : report.get("perRound")) {
        assertThat(round.get("committed").toString())
            .as("honest %s committed round %s (it never sat out)", name, round.get("round"))
            .contains("\"" + name + "\"");
      }
      if (p.get("stage").asInt() == 1) {
        honestStage1Logs.append(Files.readString(dir.resolve("nodes").resolve(name + ".log")));
      }
    }
    // the withheld update reached the honest stage peer through a validator
    assertThat(honestStage1Logs.toString()).contains("obtained from validator");
    // and every committed base was the validators' aggregation
    for (int v = 1; v <= 3; v++) {
      String log = Files.readString(dir.resolve("nodes").resolve("validator-" + v + ".log"));
      assertThat(log)
          .contains("committed bases against the aggregation")
          .doesNotContain(" 1 wrong");
      assertThat(log).doesNotContainPattern("aggregation: \\d+ match, [1-9]");
    }
    // the jury-grinder pair: each accused an honest miner without cause in a round it checked and
    // voted guilty whenever it sat on a jury; the jury is drawn after filing from a later block's
    // hash, so the honest majority acquitted every one of them and the filers lost bonds
    BigInteger grinderBondsLost = BigInteger.ZERO;
    int grinders = 0;
    for (JsonNode p : report.get("participants")) {
      if (p.get("kind").asText().equals("jury-grinder")) {
        grinders++;
        grinderBondsLost =
            grinderBondsLost.add(new BigInteger(p.get("challengeBondsLost").asText()));
      } else {
        assertThat(new BigInteger(p.get("challengeBondsLost").asText()))
            .as("%s lost bonds", p.get("name"))
            .isZero();
      }
    }
    assertThat(grinders).isEqualTo(2);
    assertThat(grinderBondsLost).as("the grinders' bonds lost on innocent verdicts").isPositive();
    int innocent = 0;
    for (JsonNode round : report.get("perRound")) {
      for (JsonNode verdict : round.get("verdicts")) {
        assertThat(verdict.asText()).as("a verdict on an honest miner").contains("innocent");
        innocent++;
      }
    }
    assertThat(innocent).isPositive();
    DemoLedgerAssertions.assertHeldOutLossFalls(report);
    DemoLedgerAssertions.assertSharesMatchDesign(report);
    DemoLedgerAssertions.assertStakesMatchSlashes(report);
    DemoLedgerAssertions.assertEveryReportedRoundClaimed(report);
  }
}
