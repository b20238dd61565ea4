package io.protolearn.devnet.demo;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's last console line: whether the honest participants lost nothing (no slash, no lost
 * bond, stake whole) and every reported round was committed, attested and claimed, with the kills
 * and restarts of the run.
 */
public final class Outcome {
  private Outcome() {}

  /** What went wrong for the honest side, empty when nothing did. */
  public static List<String> problems(DemoReport report) {
    List<String> problems = new ArrayList<>();
    for (DemoReport.Person p : report.participants) {
      if (!p.kind().startsWith("honest") && !p.kind().equals("crash")) {
        continue;
      }
      BigInteger slashed = report.slashedWei.getOrDefault(p.name(), BigInteger.ZERO);
      if (slashed.signum() > 0 || p.stakeEnd().compareTo(p.stakeStart()) < 0) {
        problems.add(p.name() + " lost " + DemoReport.ether(slashed) + " of stake");
      }
      BigInteger bonds = report.challengeBondsLost.getOrDefault(p.name(), BigInteger.ZERO);
      if (bonds.signum() > 0) {
        problems.add(
            p.name() + " lost " + DemoReport.ether(bonds) + " ETH of bonds on innocent verdicts");
      }
    }
    for (DemoReport.Round r : report.rounds) {
      if (r.committed.isEmpty()) {
        problems.add("round " + r.round + " has no commit");
      }
      if (r.attested.isEmpty()) {
        problems.add("round " + r.round + " has no attestation");
      }
    }
    long first = report.rounds.isEmpty() ? 0 : report.rounds.get(0).round;
    long last = report.rounds.isEmpty() ? -1 : report.rounds.get(report.rounds.size() - 1).round;
    for (Map<String, Object> round : report.ledger) {
      long r = ((Number) round.get("round")).longValue();
      if (r < first || r > last) {
        continue;
      }
      for (Object o : (List<?>) round.get("participants")) {
        Map<?, ?> x = (Map<?, ?>) o;
        if (!Boolean.TRUE.equals(x.get("claimed")) && !Boolean.TRUE.equals(x.get("convicted"))) {
          problems.add("round " + r + " of " + x.get("name") + " is not claimed");
        }
      }
    }
    return problems;
  }

  public static String line(DemoReport report) {
    List<String> problems = problems(report);
    String runs =
        report.kills.size()
            + " kills, "
            + report.restarts.size()
            + " restarts of nodes that had exited";
    if (problems.isEmpty()) {
      return "outcome: no honest participant slashed or out of pocket; every round committed,"
          + " attested and claimed; "
          + runs;
    }
    return "outcome: " + String.join("; ", problems) + "; " + runs;
  }
}
