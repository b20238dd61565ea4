package io.protolearn.devnet.demo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The adversaries of a demo ({@code --adversaries}), each an extra participant beyond the honest
 * S×R miners and V validators, running the real node with one behaviour swapped ({@code miner run
 * --adversary KIND}, {@code validator run --adversary lazy}).
 *
 * <p>Lanes are {@code min_s R_s} wide, so an adversary miner only trains when every stage has as
 * many miners as its own: the plan puts each kind on a fixed stage (corrupt-activations and lazy on
 * stage 0, which sends activations; withholder, peer-withholder, copycat and stale-base on the last
 * stage) and adds honest "filler" miners where a stage is short. {@code crash} is an honest stage-0
 * miner that the demo kills (-9) in the middle of the second round's steps and restarts on its
 * data.
 */
public record AdversaryPlan(List<Miner> miners, List<Validator> validators, boolean crash) {
  /** The accepted names, in the order they are planned. */
  public static final List<String> KINDS =
      List.of(
          "lazy",
          "copycat",
          "corrupt",
          "withholder",
          "peer-withholder",
          "stale-base",
          "lazy-validator",
          "report-thief",
          "jury-grinder",
          "crash");

  public static final String DEFAULT =
      "lazy,copycat,corrupt,withholder,peer-withholder,stale-base,lazy-validator,report-thief,"
          + "jury-grinder,crash";

  /**
   * The validator kinds: each adds validators running {@code validator run --adversary} (the
   * jury-grinder a colluding pair).
   */
  private static final List<String> VALIDATOR_KINDS =
      List.of("lazy-validator", "report-thief", "jury-grinder");

  /**
   * An extra miner: its stage, its demo kind and the {@code --adversary} it runs with (or null).
   */
  public record Miner(int stage, String kind, String nodeFlag) {
    public boolean honest() {
      return nodeFlag == null;
    }
  }

  /** An extra validator: its demo kind and the {@code --adversary} it runs with. */
  public record Validator(String kind, String nodeFlag) {}

  public static final AdversaryPlan NONE = new AdversaryPlan(List.of(), List.of(), false);

  /** Parses {@code --adversaries} ("none" or a comma list of {@link #KINDS}). */
  public static AdversaryPlan parse(String list, int stages) {
    if (list == null || list.isBlank() || list.equals("none")) {
      return NONE;
    }
    if (list.equals("all")) {
      return parse(DEFAULT, stages);
    }
    Set<String> kinds = new LinkedHashSet<>();
    for (String k : list.split(",")) {
      String kind = k.trim();
      if (!KINDS.contains(kind)) {
        throw new IllegalArgumentException(
            "--adversaries takes none or a comma list of "
                + String.join(", ", KINDS)
                + "; got "
                + k);
      }
      kinds.add(kind);
    }
    int last = stages - 1;
    List<Miner> miners = new ArrayList<>();
    int[] perStage = new int[stages];
    for (String kind : KINDS) {
      if (!kinds.contains(kind) || VALIDATOR_KINDS.contains(kind)) {
        continue;
      }
      Miner m =
          switch (kind) {
            case "lazy" -> new Miner(0, kind, "lazy:0.5");
            case "corrupt" -> new Miner(0, kind, "corrupt-activations");
            case "withholder" -> new Miner(last, kind, "withholder");
            case "peer-withholder" -> new Miner(last, kind, "peer-withholder");
            case "stale-base" -> new Miner(last, kind, "stale-base");
            // an honest node that the demo kills (-9) mid-training once and restarts
            case "crash" -> new Miner(0, kind, null);
            default -> new Miner(last, kind, "copycat");
          };
      miners.add(m);
      perStage[m.stage()]++;
    }
    int most = 0;
    for (int n : perStage) {
      most = Math.max(most, n);
    }
    for (int s = 0; s < stages; s++) {
      for (int i = perStage[s]; i < most; i++) {
        miners.add(new Miner(s, "honest (filler)", null));
      }
    }
    List<Validator> validators = new ArrayList<>();
    if (kinds.contains("lazy-validator")) {
      validators.add(new Validator("lazy-validator", "lazy"));
    }
    if (kinds.contains("report-thief")) {
      validators.add(new Validator("report-thief", "report-thief"));
    }
    if (kinds.contains("jury-grinder")) {
      validators.add(new Validator("jury-grinder", "jury-grinder"));
      validators.add(new Validator("jury-grinder", "jury-grinder"));
    }
    return new AdversaryPlan(List.copyOf(miners), List.copyOf(validators), kinds.contains("crash"));
  }

  /** Whether the demo kills and restarts this extra miner (it runs the honest node). */
  public static boolean crashes(Miner m) {
    return m.kind().equals("crash");
  }

  public boolean any() {
    return !validators.isEmpty() || crash || miners.stream().anyMatch(m -> !m.honest());
  }
}
