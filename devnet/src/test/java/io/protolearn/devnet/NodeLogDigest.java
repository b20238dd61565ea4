package io.protolearn.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the validators of a demo accused and why, and what each juror found: the lines of their logs
 * that say so, with addresses replaced by the report's names. A failed demo IT on CI leaves no node
 * logs behind; its failure message carries this digest, first, so that a framing can be told from a
 * fair conviction.
 */
final class NodeLogDigest {
  /** The aggregation's lines: which lanes each node took, and the base it made (listed first). */
  private static final List<String> AGGREGATION =
      List.of("accepted in stage", "base of round", "could not be obtained", "no delta from");

  private static final List<String> MARKERS =
      List.of(
          "RoundChecks - round",
          "FaultFiler - round",
          "JuryService - challenge of miner",
          "committed bases against",
          "not finalized yet",
          "sits out",
          "standby");
  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
  private static final int MAX_LINES = 90;

  private NodeLogDigest() {}

  /** The assertions of a demo IT. */
  @FunctionalInterface
  interface Check {
    void run() throws Exception;
  }

  /** Runs {@code check}; a failure is rethrown with the digest in front of its message. */
  static void onFailure(Path dir, JsonNode report, Check check) throws Exception {
    try {
      check.run();
    } catch (AssertionError e) {
      throw new AssertionError(of(dir.resolve("nodes"), report) + "\n" + e.getMessage(), e);
    }
  }

  static String of(Path nodes, JsonNode report) {
    java.util.Map<String, String> names = new java.util.HashMap<>();
    for (JsonNode p : report.get("participants")) {
      names.put(p.get("address").asText().toLowerCase(Locale.ROOT), p.get("name").asText());
    }
    Set<String> aggregation = new LinkedHashSet<>();
    Set<String> lines = new LinkedHashSet<>();
    try (Stream<Path> logs = Files.list(nodes)) {
      for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        String node = log.getFileName().toString().replace(".log", "");
        for (String line : Files.readAllLines(log)) {
          boolean aggregates = AGGREGATION.stream().anyMatch(line::contains);
          if (aggregates || MARKERS.stream().anyMatch(line::contains)) {
            int from = line.indexOf(" - ");
            String entry = node + ": " + named(from < 0 ? line : line.substring(from + 3), names);
            (aggregates ? aggregation : lines).add(entry);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return "(node logs unreadable: " + e + ")";
    }
    List<String> out = new ArrayList<>();
    out.add("kills " + report.path("kills") + ", restarts " + report.path("restarts"));
    out.addAll(aggregation);
    out.addAll(lines);
    String more = out.size() > MAX_LINES ? "\n  … " + (out.size() - MAX_LINES) + " more" : "";
    return "node logs, in short:\n  "
        + String.join("\n  ", out.subList(0, Math.min(out.size(), MAX_LINES)))
        + more;
  }

  private static String named(String line, java.util.Map<String, String> names) {
    Matcher m = ADDRESS.matcher(line);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = names.getOrDefault(m.group().toLowerCase(Locale.ROOT), m.group());
      m.appendReplacement(sb, Matcher.quoteReplacement(name));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
