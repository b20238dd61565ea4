package io.protolearn.devnet.demo;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** The report page's charts: self-contained SVG, no script. */
final class ReportCharts {
  private ReportCharts() {}

  private static final int W = 640;
  private static final int H = 280;
  private static final int PAD = 50;

  static double units(BigInteger wei) {
    return new BigDecimal(wei).movePointLeft(18).doubleValue();
  }

  private static final String[] PALETTE = {
    "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
    "#17becf", "#ff7f0e", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd"
  };

  private static final int LEGEND = 150;

  /** One line per participant over the rounds, a legend on the right; adversaries dashed. */
  static String seriesChart(
      List<Long> xs,
      Map<String, List<BigInteger>> series,
      String yLabel,
      Predicate<String> dashed) {
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
      boolean adversary = dashed.test(e.getKey());
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

  static String lineChart(List<double[]> points, String xLabel, String yLabel) {
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

  static String barChart(List<String> names, List<Double> values) {
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

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4g", v).contains("e")
        ? String.format(Locale.ROOT, "%.4f", v)
        : String.format(Locale.ROOT, "%.4g", v);
  }

  static String esc(String t) {
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
