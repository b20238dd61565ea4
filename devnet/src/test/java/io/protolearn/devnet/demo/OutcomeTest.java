package io.protolearn.devnet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeTest {
  private static final BigInteger STAKE = ParticipantSetup.STAKE;

  private static DemoReport report(boolean claimed) {
    DemoReport report = new DemoReport(2, 1, 1, 1, 1);
    DemoReport.Round row = new DemoReport.Round(3);
    row.committed.add("miner-1");
    row.attested.add("validator-1");
    report.rounds.add(row);
    report.participants.add(person("miner-1", "honest", STAKE));
    report.participants.add(person("miner-2", "copycat", STAKE.divide(BigInteger.TWO)));
    report.participants.add(person("validator-1", "honest", STAKE));
    Map<String, Object> round = new LinkedHashMap<>();
    round.put("round", 3L);
    Map<String, Object> miner = new LinkedHashMap<>();
    miner.put("name", "miner-1");
    miner.put("convicted", false);
    miner.put("claimed", claimed);
    Map<String, Object> copycat = new LinkedHashMap<>();
    copycat.put("name", "miner-2");
    copycat.put("convicted", true);
    copycat.put("claimed", false);
    round.put("participants", List.of(miner, copycat));
    report.ledger.add(round);
    report.kills.add("validator-1 killed (-9) at block 120");
    report.restarts.add("validator-1 exited with code 137 at block 120; restarted");
    return report;
  }

  private static DemoReport.Person person(String name, String kind, BigInteger stakeEnd) {
    return new DemoReport.Person(
        name,
        name.startsWith("miner") ? "miner" : "validator",
        kind,
        0,
        "0x" + name,
        STAKE,
        stakeEnd,
        BigInteger.ONE,
        BigInteger.ZERO,
        1,
        List.of(),
        List.of());
  }

  @Test
  void shouldSayNothingWasLostWhenHonestStakeIsWholeAndEveryRoundIsClaimed() {
    DemoReport report = report(true);
    assertThat(Outcome.problems(report)).isEmpty();
    assertThat(Outcome.line(report))
        .startsWith("outcome: no honest participant slashed or out of pocket")
        .contains("1 kills, 1 restarts");
  }

  @Test
  void shouldNameAnUnclaimedRoundAndAnHonestSlash() {
    DemoReport report = report(false);
    report.slashedWei.put("validator-1", STAKE.divide(BigInteger.TEN));
    report.participants.set(
        2, person("validator-1", "honest", STAKE.subtract(STAKE.divide(BigInteger.TEN))));
    report.rounds.get(0).attested.clear();
    report.challengeBondsLost.put("validator-1", STAKE.divide(BigInteger.TEN));
    assertThat(Outcome.problems(report))
        .containsExactly(
            "validator-1 lost 0.200 of stake",
            "validator-1 lost 0.200 ETH of bonds on innocent verdicts",
            "round 3 has no attestation",
            "round 3 of miner-1 is not claimed");
  }
}
