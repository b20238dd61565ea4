package io.protolearn.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Honest miners must never be framed by what other miners do (DESIGN §7). The demo's extra miners
 * join from round 1, after round 0 was trained: the honest filler of stage 0 aggregates round 0's
 * deltas into its first base, so the round-0 miners must serve them to a miner that was not there
 * in round 0 (they refused with 403, the filler committed a base without them and every validator
 * convicted it of a wrong result). The copycat is convicted by a jury that resolves after round 1,
 * so in round 2 it is ejected while still in the round's lanes: the honest miner paired with it
 * trains, commits and is paid, and the lane's delta is left out of the aggregation by every node.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class DemoLateJoinersIT {

  @Test
  void shouldNeverSlashAnHonestMinerThatJoinedLateOrLostItsLanePeer(@TempDir Path dir)
      throws Exception {
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
            "copycat",
            "--sample-rate-bps",
            "10000",
            "--commit-blocks",
            "20",
            "--check-blocks",
            "16",
            "--vote-blocks",
            "16");
    System.out.printf("demo with late joiners took %.0f s%n", (System.nanoTime() - t0) / 1e9);
    assertThat(code).as("exit code; node logs in %s", dir.resolve("nodes")).isZero();
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    System.out.println(report.toPrettyString());

    boolean filler = false;
    for (JsonNode p : report.get("participants")) {
      String kind = p.get("kind").asText();
      if (kind.startsWith("honest")) {
        assertThat(new BigInteger(p.get("slashedWei").asText())).as("%s slashed", p).isZero();
        filler |= kind.equals("honest (filler)");
      } else {
        assertThat(kind).isEqualTo("copycat");
        assertThat(new BigInteger(p.get("slashedWei").asText())).as("%s convicted", p).isPositive();
      }
    }
    assertThat(filler).as("a stage-0 filler joined with the copycat").isTrue();
    // its first round: it trained from the base it aggregated without having been in round 0
    JsonNode first = report.get("perRound").get(0);
    assertThat(first.get("committed").toString())
        .as("the late-joining filler committed in %s", first)
        .contains("\"miner-4\"");
    assertThat(first.get("convicted").toString()).doesNotContain("\"miner-4\"");
    DemoLedgerAssertions.assertSharesMatchDesign(report);
    DemoLedgerAssertions.assertStakesMatchSlashes(report);
    DemoLedgerAssertions.assertEveryReportedRoundClaimed(report);
  }
}
