package io.protolearn.devnet.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** What a demo did: per round and per participant; written as JSON and one self-contained page. */
public final class DemoReport {
  /** One round as the chain saw it after its vote window. */
  public static final class Round {
    public final long round;
    public final List<String> committed = new ArrayList<>();
    public final List<String> attested = new ArrayList<>();
    public final List<String> convicted = new ArrayList<>();
    public final List<String> slashed = new ArrayList<>();
    public int challenges;
    public long checks;
    public final List<String> verdicts = new ArrayList<>();

    /** Held-out loss of the model aggregated from this round's deltas, when the miners had it. */
    public Double heldOutLoss;

    public Round(long round) {
      this.round = round;
    }
  }

  /**
   * A participant at the end of the demo (amounts in wei): {@code shares} is what it claimed,
   * {@code claimable} what it could still claim (rounds after the reported ones); {@code
   * claimedByDemo} the reported rounds whose claim the demo sent because the node had not, and
   * {@code standbyRounds} the rounds a miner trained in no lane (more miners of its stage than
   * lanes).
   */
  public record Person(
      String name,
      String role,
      String kind,
      int stage,
      String address,
      BigInteger stakeStart,
      BigInteger stakeEnd,
      BigInteger shares,
      BigInteger claimable,
      int roundsCommitted,
      List<Long> claimedByDemo,
      List<Long> standbyRounds) {}

  private final int stages;
  private final int replicas;
  private final int validators;
  private final int roundsWanted;
  private final long runId;
  public Double initialLoss;
  public final List<Round> rounds = new ArrayList<>();
  public final List<Person> participants = new ArrayList<>();
  public BigInteger totalShares = BigInteger.ZERO;
  public List<String> adversaries = List.of();
  public final List<Map<String, Object>> ledger = new ArrayList<>();
  public final Map<String, BigInteger> slashedWei = new LinkedHashMap<>();

  /** Each participant's stake after each reported round (wei), filled by {@link ChainLedger}. */
  public final Map<String, List<BigInteger>> stakeSeries = new LinkedHashMap<>();

  /** Each participant's claimed shares up to each reported round (wei). */
  public final Map<String, List<BigInteger>> sharesSeries = new LinkedHashMap<>();

  public double seconds;

  /** The kills of {@code --chaos} and the crash adversary, one line each. */
  public final List<String> kills = new ArrayList<>();

  /** Challenge bonds lost on innocent verdicts, by challenger name (wei). */
  public final Map<String, BigInteger> challengeBondsLost = new LinkedHashMap<>();

  /** Every restart of a node that had exited, one line each. */
  public final List<String> restarts = new ArrayList<>();

  public DemoReport(int stages, int replicas, int validators, int rounds, long runId) {
    this.stages = stages;
    this.replicas = replicas;
    this.validators = validators;
    this.roundsWanted = rounds;
    this.runId = runId;
  }

  public void write(Path json, Path html) throws IOException {
    Files.writeString(
        json,
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toMap()));
    Files.writeString(html, html());
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runId", runId);
    m.put("stages", stages);
    m.put("replicas", replicas);
    m.put("validators", validators);
    m.put("rounds", roundsWanted);
    m.put("adversaries", adversaries);
    m.put("seconds", Math.round(seconds));
    m.put("initialHeldOutLoss", initialLoss);
    m.put("totalShares", totalShares.toString());
    m.put("kills", kills);
    m.put("restarts", restarts);
    List<Object> rs = new ArrayList<>();
    for (Round r : rounds) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("round", r.round);
      x.put("commits", r.committed.size());
      x.put("committed", r.committed);
      x.put("attestations", r.attested.size());
      x.put("attested", r.attested);
      x.put("checks", r.checks);
      x.put("challenges", r.challenges);
      x.put("verdicts", r.verdicts);
      x.put("convicted", r.convicted);
      x.put("slashes", r.slashed.size());
      x.put("slashed", r.slashed);
      x.put("heldOutLoss", r.heldOutLoss);
      rs.add(x);
    }
    m.put("perRound", rs);
    List<Object> ps = new ArrayList<>();
    for (Person p : participants) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("name", p.name());
      x.put("role", p.role());
      x.put("kind", p.kind());
      if (p.stage() >= 0) {
        x.put("stage", p.stage());
      }
      x.put("address", p.address());
      x.put("stakeStart", p.stakeStart().toString());
      x.put("stakeEnd", p.stakeEnd().toString());
      x.put("slashed", p.stakeEnd().compareTo(p.stakeStart()) < 0);
      x.put("slashedWei", slashedWei.getOrDefault(p.name(), BigInteger.ZERO).toString());
      x.put("shares", p.shares().toString());
      x.put("claimable", p.claimable().toString());
      x.put(
          "challengeBondsLost",
          challengeBondsLost.getOrDefault(p.name(), BigInteger.ZERO).toString());
      x.put("claimedByDemo", p.claimedByDemo());
      x.put(
          "stakeByRound",
          stakeSeries.getOrDefault(p.name(), List.of()).stream().map(String::valueOf).toList());
      x.put(
          "sharesByRound",
          sharesSeries.getOrDefault(p.name(), List.of()).stream().map(String::valueOf).toList());
      if (p.role().equals("miner")) {
        x.put("roundsCommitted", p.roundsCommitted());
        x.put("standbyRounds", p.standbyRounds());
      }
      ps.add(x);
    }
    m.put("participants", ps);
    m.put("ledger", ledger);
    return m;
  }

  /** Wei as a decimal number of whole units (18 decimals), three places. */
  public static String ether(BigInteger wei) {
    return new BigDecimal(wei).movePointLeft(18).setScale(3, RoundingMode.HALF_UP).toPlainString();
  }

  String html() {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>protolearn devnet demo</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:62em;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;")
        .append("padding:.25em .6em;text-align:right}th{background:#f4f4f4}")
        .append("td.l,th.l{text-align:left}svg{background:#fafafa;border:1px solid #ddd}")
        .append("</style></head><body>\n");
    h.append("<h1>protolearn devnet demo</h1>\n<p>")
        .append(stages)
        .append(" stages × ")
        .append(replicas)
        .append(" miners, ")
        .append(validators)
        .append(" validators, ")
        .append(rounds.size())
        .append(" rounds of run ")
        .append(runId)
        .append(", ")
        .append(Math.round(seconds))
        .append(" s. Adversaries: ")
        .append(adversaries.isEmpty() ? "none" : ReportCharts.esc(String.join(", ", adversaries)))
        .append(". Shares minted: ")
        .append(ether(totalShares))
        .append(".</p>\n");

    h.append("<h2>Held-out loss per round</h2>\n");
    List<double[]> points = new ArrayList<>();
    if (initialLoss != null && !rounds.isEmpty()) {
      points.add(new double[] {rounds.get(0).round - 1, initialLoss});
    }
    for (Round r : rounds) {
      if (r.heldOutLoss != null) {
        points.add(new double[] {r.round, r.heldOutLoss});
      }
    }
    h.append(ReportCharts.lineChart(points, "round", "held-out loss"));
    h.append("<p>The first point is the run's initial model; each later one is the model the")
        .append(" miners aggregated after that round.</p>\n");

    h.append("<h2>Shares per participant</h2>\n");
    List<String> names = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (Person p : participants) {
      names.add(p.name());
      values.add(ReportCharts.units(p.shares()));
    }
    h.append(ReportCharts.barChart(names, values));
    List<Long> xs = rounds.stream().map(r -> r.round).toList();
    Predicate<String> dashed =
        name ->
            participants.stream()
                .anyMatch(p -> p.name().equals(name) && !p.kind().startsWith("honest"));
    h.append("<h2>Shares over time</h2>\n")
        .append(
            ReportCharts.seriesChart(
                xs, sharesSeries, "shares claimed for rounds up to r", dashed));
    h.append("<h2>Stake over time</h2>\n")
        .append(
            ReportCharts.seriesChart(
                xs, stakeSeries, "stake after round r (slashes by disputed round)", dashed));
    h.append("<p>Dashed lines are adversaries.</p>\n");

    h.append("<h2>Rounds</h2>\n<table><tr><th>round</th><th>commits</th><th>attestations</th>")
        .append("<th>checks</th><th>challenges</th><th>slashes</th><th class=\"l\">verdicts</th>")
        .append("<th>held-out loss</th></tr>\n");
    for (Round r : rounds) {
      h.append("<tr><td>")
          .append(r.round)
          .append("</td><td>")
          .append(r.committed.size())
          .append("</td><td>")
          .append(r.attested.size())
          .append("</td><td>")
          .append(r.checks)
          .append("</td><td>")
          .append(r.challenges)
          .append("</td><td>")
          .append(r.slashed.size())
          .append("</td><td class=\"l\">")
          .append(ReportCharts.esc(String.join("; ", r.verdicts)))
          .append("</td><td>")
          .append(r.heldOutLoss == null ? "-" : ReportCharts.fmt(r.heldOutLoss))
          .append("</td></tr>\n");
    }
    h.append("</table>\n<h2>Participants</h2>\n<table><tr><th class=\"l\">name</th>")
        .append("<th class=\"l\">role</th><th>stage</th><th class=\"l\">address</th>")
        .append("<th>stake at start</th><th>stake at end</th><th>shares claimed</th>")
        .append("<th>claimable</th><th class=\"l\">notes</th></tr>\n");
    for (Person p : participants) {
      h.append("<tr><td class=\"l\">")
          .append(p.name())
          .append("</td><td class=\"l\">")
          .append(p.role())
          .append(p.kind().equals("honest") ? "" : " — " + ReportCharts.esc(p.kind()))
          .append("</td><td>")
          .append(p.stage() >= 0 ? Integer.toString(p.stage()) : "")
          .append("</td><td class=\"l\"><code>")
          .append(p.address())
          .append("</code></td><td>")
          .append(ether(p.stakeStart()))
          .append("</td><td>")
          .append(ether(p.stakeEnd()))
          .append("</td><td>")
          .append(ether(p.shares()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
    if (!kills.isEmpty() || !restarts.isEmpty()) {
      h.append("<h2>Kills and restarts</h2>\n<ul>\n");
      for (String k : kills) {
        h.append("<li>").append(ReportCharts.esc(k)).append("</li>\n");
      }
      for (String r : restarts) {
        h.append("<li>").append(ReportCharts.esc(r)).append("</li>\n");
      }
      h.append("</ul>\n");
    }
    h.append("</body></html>\n");
    return h.toString();
  }

  private static String notes(Person p) {
    List<String> notes = new ArrayList<>();
    if (!p.standbyRounds().isEmpty()) {
      notes.add("standby in rounds " + p.standbyRounds());
    }
    if (!p.claimedByDemo().isEmpty()) {
      notes.add("rounds " + p.claimedByDemo() + " claimed by the demo after its node stopped");
    }
    return String.join("; ", notes);
  }
}
