package io.protolearn.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/devnet demo} in this JVM with honest participants only: 2 stages × 1 miner (one lane)
 * and 1 validator, each node its own process, over 20 rounds of quarter-second blocks — the
 * validator attests every round, finds every committed base equal to the aggregation it recomputes
 * and never challenges (issue #5: zero false positives over ≥ 20 rounds with real miners).
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class DemoCommandIT {
  static final int ROUNDS = 20;

  @Test
  void shouldRunHonestParticipantsEndToEndAndWriteTheReport(@TempDir Path dir) throws Exception {
    long t0 = System.nanoTime();
    int code =
        DevnetCommand.execute(
            "demo",
            "--dir",
            dir.toString(),
            "--replicas",
            "1",
            "--validators",
            "1",
            "--rounds",
            Integer.toString(ROUNDS),
            "--adversaries",
            "none",
            "--block-ms",
            "250",
            "--commit-blocks",
            "12",
            "--check-blocks",
            "10",
            "--vote-blocks",
            "6");
    System.out.printf("demo took %.0f s%n", (System.nanoTime() - t0) / 1e9);
    assertThat(code).as("exit code; node logs in %s", dir.resolve("nodes")).isZero();

    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.get("perRound")).hasSize(ROUNDS);
    Set<String> committed = new HashSet<>();
    for (JsonNode r : report.get("perRound")) {
      r.get("committed").forEach(n -> committed.add(n.asText()));
      assertThat(r.get("committed")).as("commits in %s", r).hasSize(2);
      assertThat(r.get("attested")).as("attestations in %s", r).hasSize(1);
      assertThat(r.get("challenges").asInt()).as("challenges in %s", r).isZero();
      assertThat(r.get("slashes").asInt()).as("slashes in %s", r).isZero();
      assertThat(r.get("convicted")).as("convictions in %s", r).isEmpty();
    }
    String validatorLog = Files.readString(dir.resolve("nodes").resolve("validator-1.log"));
    assertThat(validatorLog).doesNotContain("filed ", "wrong result", "not attesting");
    long aggregationChecked =
        validatorLog
            .lines()
            .filter(l -> l.contains("committed bases against the aggregation: 2 match, 0 wrong"))
            .count();
    assertThat(aggregationChecked)
        .as("rounds whose bases were checked")
        .isGreaterThanOrEqualTo(ROUNDS);
    assertThat(report.get("participants")).hasSize(3);
    for (JsonNode p : report.get("participants")) {
      assertThat(p.get("slashed").asBoolean()).as("%s slashed", p).isFalse();
      assertThat(new BigInteger(p.get("stakeEnd").asText()))
          .isEqualTo(new BigInteger(p.get("stakeStart").asText()));
      if (p.get("role").asText().equals("miner")) {
        assertThat(committed)
            .as("rounds committed by %s", p.get("name"))
            .contains(p.get("name").asText());
      }
    }
    assertThat(new BigInteger(report.get("totalShares").asText())).isPositive();
    DemoLedgerAssertions.assertSharesMatchDesign(report);
    DemoLedgerAssertions.assertStakesMatchSlashes(report);
    DemoLedgerAssertions.assertSeriesConsistent(report);
    DemoLedgerAssertions.assertEveryReportedRoundClaimed(report);
    assertThat(report.get("restarts")).as("no node exited").isEmpty();
    for (JsonNode p : report.get("participants")) {
      // every participant was paid for the rounds it worked
      JsonNode shares = p.get("sharesByRound");
      assertThat(new BigInteger(shares.get(shares.size() - 1).asText()))
          .as("shares plotted for %s", p.get("name"))
          .isPositive();
    }
    String html = Files.readString(dir.resolve("report.html"));
    assertThat(html)
        .contains("<svg", "Shares over time", "Stake over time")
        .doesNotContain("<script", "<link", " src=");
    // the files holding secrets are owner-only (DESIGN §13 v2): the keystores' password and the
    // deployment that carries the devnet accounts' keys
    for (String secret : List.of("password", "deployment.json")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(secret))))
          .as(secret)
          .isEqualTo("rw-------");
    }
    // every child and the chain stopped
    assertThat(dir.resolve("anvil.pid")).doesNotExist();
  }

  @Test
  void shouldRejectBadFlagsWithoutStartingAnything(@TempDir Path dir) throws Exception {
    Path d = dir.resolve("demo");
    assertThat(DevnetCommand.execute("demo", "--dir", d.toString(), "--rounds", "0")).isEqualTo(1);
    assertThat(DevnetCommand.execute("demo", "--dir", d.toString(), "--stages", "3")).isEqualTo(1);
    assertThat(DevnetCommand.execute("demo", "--dir", d.toString(), "--replicas", "x"))
        .isEqualTo(2);
    assertThat(DevnetCommand.execute("demo", "--dir", d.toString(), "--validators", "0"))
        .isEqualTo(1);
    assertThat(DevnetCommand.execute("demo", "--dir", d.toString(), "--adversaries", "sloth"))
        .isEqualTo(1);
    assertThat(DevnetCommand.execute("demo", "--dir", d.toString(), "--sample-rate-bps", "0"))
        .isEqualTo(1);
    assertThat(DevnetCommand.execute("demo", "--dir", d.toString(), "--block-ms", "50"))
        .isEqualTo(1);
    assertThat(d).doesNotExist();
    Files.writeString(dir.resolve("precious.txt"), "keep me");
    assertThat(DevnetCommand.execute("demo", "--dir", dir.toString())).isEqualTo(1);
    assertThat(dir.resolve("precious.txt")).exists();
  }
}
