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
import java.util.Locale;
import java.util.Map;

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

  /** A participant at the end of the demo (amounts in wei). */
  public record Person(
      String name,
      String role,
      String kind,
      int stage,
      String address,
      BigInteger stakeStart,
      BigInteger stakeEnd,
      BigInteger shares,
      int roundsCommitted) {}

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
      x.put(
          "stakeByRound",
          stakeSeries.getOrDefault(p.name(), List.of()).stream().map(String::valueOf).toList());
      x.put(
          "sharesByRound",
          sharesSeries.getOrDefault(p.name(), List.of()).stream().map(String::valueOf).toList());
      if (p.role().equals("miner")) {
        x.put("roundsCommitted", p.roundsCommitted());
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
        .append(adversaries.isEmpty() ? "none" : esc(String.join(", ", adversaries)))
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
    h.append(lineChart(points, "round", "held-out loss"));
    h.append("<p>The first point is the run's initial model; each later one is the model the")
        .append(" miners aggregated after that round.</p>\n");

    h.append("<h2>Shares per participant</h2>\n");
    List<String> names = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (Person p : participants) {
      names.add(p.name());
      values.add(units(p.shares()));
    }
    h.append(barChart(names, values));
    List<Long> xs = rounds.stream().map(r -> r.round).toList();
    h.append("<h2>Shares over time</h2>\n")
        .append(seriesChart(xs, sharesSeries, "shares claimed for rounds up to r"));
    h.append("<h2>Stake over time</h2>\n")
        .append(seriesChart(xs, stakeSeries, "stake after round r (slashes by disputed round)"));
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
          .append(esc(String.join("; ", r.verdicts)))
          .append("</td><td>")
          .append(r.heldOutLoss == null ? "-" : fmt(r.heldOutLoss))
          .append("</td></tr>\n");
    }
    h.append("</table>\n<h2>Participants</h2>\n<table><tr><th class=\"l\">name</th>")
        .append("<th class=\"l\">role</th><th>stage</th><th class=\"l\">address</th>")
        .append("<th>stake at start</th><th>stake at end</th><th>shares</th></tr>\n");
    for (Person p : participants) {
      h.append("<tr><td class=\"l\">")
          .append(p.name())
          .append("</td><td class=\"l\">")
          .append(p.role())
          .append(p.kind().equals("honest") ? "" : " — " + esc(p.kind()))
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
    h.append("</table>\n</body></html>\n");
    return h.toString();
  }

  private static final int W = 640;
  private static final int H = 280;
  private static final int PAD = 50;

  private static double units(BigInteger wei) {
    return new BigDecimal(wei).movePointLeft(18).doubleValue();
  }

  private static final String[] PALETTE = {
    "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
    "#17becf", "#ff7f0e", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd"
  };

  private static final int LEGEND = 150;

  /** One line per participant over the rounds, a legend on the right; adversaries dashed. */
  private String seriesChart(List<Long> xs, Map<String, List<BigInteger>> series, String yLabel) {
    int w = W + LEGEND;
    StringBuilder s =
        new StringBuilder()
            .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
            .append(w)
            .append("\" height=\"")
            .append(H)
            .append("\" viewBox=\"0 0 ")
            .append(w)
            .append(' ')
            .append(H)
            .append("\" font-size=\"11\">");
    if (xs.isEmpty() || series.isEmpty()) {
      s.append(text(W / 2.0, H / 2.0, "no rounds recorded", "middle"));
      return s.append("</svg>\n").toString();
    }
    double y0 = Double.MAX_VALUE;
    double y1 = -Double.MAX_VALUE;
    for (List<BigInteger> v : series.values()) {
      for (BigInteger b : v) {
        y0 = Math.min(y0, units(b));
        y1 = Math.max(y1, units(b));
      }
    }
    if (y1 - y0 < 1e-9) {
      y0 -= 1;
      y1 += 1;
    }
    double margin = (y1 - y0) * 0.05;
    y0 = y0 >= 0 ? Math.max(0, y0 - margin) : y0 - margin;
    y1 += margin;
    double x0 = xs.get(0);
    double x1 = xs.size() > 1 ? xs.get(xs.size() - 1) : x0 + 1;
    axes(s, "round", yLabel);
    s.append(text(PAD - 4, PAD + 4, fmt(y1), "end")).append(text(PAD - 4, H - PAD, fmt(y0), "end"));
    int every = Math.max(1, xs.size() / 10);
    for (int i = 0; i < xs.size(); i += every) {
      double x = PAD + (xs.get(i) - x0) / (x1 - x0) * (W - 2 * PAD);
      s.append(text(x, H - PAD + 16, Long.toString(xs.get(i)), "middle"));
    }
    int k = 0;
    for (Map.Entry<String, List<BigInteger>> e : series.entrySet()) {
      String color = PALETTE[k % PALETTE.length];
      boolean adversary =
          participants.stream()
              .anyMatch(p -> p.name().equals(e.getKey()) && !p.kind().startsWith("honest"));
      StringBuilder path = new StringBuilder();
      List<BigInteger> v = e.getValue();
      for (int i = 0; i < Math.min(v.size(), xs.size()); i++) {
        double x = PAD + (xs.get(i) - x0) / (x1 - x0) * (W - 2 * PAD);
        double y = H - PAD - (units(v.get(i)) - y0) / (y1 - y0) * (H - 2 * PAD);
        path.append(path.length() == 0 ? "M" : " L").append(fmt(x)).append(',').append(fmt(y));
      }
      s.append("<path d=\"")
          .append(path)
          .append("\" fill=\"none\" stroke=\"")
          .append(color)
          .append("\" stroke-width=\"2\"")
          .append(adversary ? " stroke-dasharray=\"5,3\"" : "")
          .append("/>");
      double ly = PAD + k * 14.0;
      s.append("<line x1=\"")
          .append(W - PAD + 20)
          .append("\" y1=\"")
          .append(fmt(ly - 4))
          .append("\" x2=\"")
          .append(W - PAD + 40)
          .append("\" y2=\"")
          .append(fmt(ly - 4))
          .append("\" stroke=\"")
          .append(color)
          .append("\" stroke-width=\"2\"")
          .append(adversary ? " stroke-dasharray=\"5,3\"" : "")
          .append("/>")
          .append(text(W - PAD + 44, ly, e.getKey(), "start"));
      k++;
    }
    return s.append("</svg>\n").toString();
  }

  private static String lineChart(List<double[]> points, String xLabel, String yLabel) {
    StringBuilder s = svgOpen();
    if (points.isEmpty()) {
      s.append(text(W / 2.0, H / 2.0, "no held-out loss recorded", "middle"));
      return s.append("</svg>\n").toString();
    }
    double x0 = points.stream().mapToDouble(p -> p[0]).min().orElse(0);
    double x1 = points.stream().mapToDouble(p -> p[0]).max().orElse(1);
    double y0 = points.stream().mapToDouble(p -> p[1]).min().orElse(0);
    double y1 = points.stream().mapToDouble(p -> p[1]).max().orElse(1);
    if (x1 == x0) {
      x1 = x0 + 1;
    }
    if (y1 - y0 < 1e-9) {
      y0 -= 0.5;
      y1 += 0.5;
    }
    double margin = (y1 - y0) * 0.1;
    y0 -= margin;
    y1 += margin;
    axes(s, xLabel, yLabel);
    StringBuilder path = new StringBuilder();
    for (double[] p : points) {
      double x = PAD + (p[0] - x0) / (x1 - x0) * (W - 2 * PAD);
      double y = H - PAD - (p[1] - y0) / (y1 - y0) * (H - 2 * PAD);
      path.append(path.length() == 0 ? "M" : " L").append(fmt(x)).append(',').append(fmt(y));
      s.append("<circle cx=\"")
          .append(fmt(x))
          .append("\" cy=\"")
          .append(fmt(y))
          .append("\" r=\"3\" fill=\"#1f77b4\"/>")
          .append(text(x, y - 8, fmt(p[1]), "middle"))
          .append(text(x, H - PAD + 16, Long.toString(Math.round(p[0])), "middle"));
    }
    s.append("<path d=\"")
        .append(path)
        .append("\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>");
    return s.append("</svg>\n").toString();
  }

  private static String barChart(List<String> names, List<Double> values) {
    StringBuilder s = svgOpen();
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    if (max <= 0) {
      max = 1;
    }
    axes(s, "", "shares");
    int n = Math.max(1, names.size());
    double slot = (W - 2.0 * PAD) / n;
    for (int i = 0; i < names.size(); i++) {
      double hgt = values.get(i) / max * (H - 2 * PAD);
      double x = PAD + i * slot + slot * 0.15;
      double y = H - PAD - hgt;
      String color = names.get(i).startsWith("miner") ? "#2ca02c" : "#ff7f0e";
      s.append("<rect x=\"")
          .append(fmt(x))
          .append("\" y=\"")
          .append(fmt(y))
          .append("\" width=\"")
          .append(fmt(slot * 0.7))
          .append("\" height=\"")
          .append(fmt(hgt))
          .append("\" fill=\"")
          .append(color)
          .append("\"/>")
          .append(
              text(
                  x + slot * 0.35,
                  y - 4,
                  String.format(Locale.ROOT, "%.1f", values.get(i)),
                  "middle"))
          .append(rotated(x + slot * 0.35, H - PAD + 12, names.get(i)));
    }
    return s.append("</svg>\n").toString();
  }

  /** A label slanted up to the left, so that many of them side by side do not overlap. */
  private static String rotated(double x, double y, String t) {
    return "<text x=\""
        + fmt(x)
        + "\" y=\""
        + fmt(y)
        + "\" text-anchor=\"end\" transform=\"rotate(-35 "
        + fmt(x)
        + " "
        + fmt(y)
        + ")\">"
        + esc(t)
        + "</text>";
  }

  private static StringBuilder svgOpen() {
    return new StringBuilder()
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(W)
        .append("\" height=\"")
        .append(H)
        .append("\" viewBox=\"0 0 ")
        .append(W)
        .append(' ')
        .append(H)
        .append("\" font-size=\"11\">");
  }

  private static void axes(StringBuilder s, String xLabel, String yLabel) {
    s.append("<line x1=\"")
        .append(PAD)
        .append("\" y1=\"")
        .append(H - PAD)
        .append("\" x2=\"")
        .append(W - PAD)
        .append("\" y2=\"")
        .append(H - PAD)
        .append("\" stroke=\"#444\"/>")
        .append("<line x1=\"")
        .append(PAD)
        .append("\" y1=\"")
        .append(PAD)
        .append("\" x2=\"")
        .append(PAD)
        .append("\" y2=\"")
        .append(H - PAD)
        .append("\" stroke=\"#444\"/>")
        .append(text(W / 2.0, H - 12, xLabel, "middle"))
        .append(text(14, PAD - 20, yLabel, "start"));
  }

  private static String text(double x, double y, String t, String anchor) {
    return "<text x=\""
        + fmt(x)
        + "\" y=\""
        + fmt(y)
        + "\" text-anchor=\""
        + anchor
        + "\">"
        + t.replace("&", "&amp;").replace("<", "&lt;")
        + "</text>";
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4g", v).contains("e")
        ? String.format(Locale.ROOT, "%.4f", v)
        : String.format(Locale.ROOT, "%.4g", v);
  }

  private static String esc(String t) {
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
