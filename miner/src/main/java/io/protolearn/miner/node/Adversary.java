package io.protolearn.miner.node;

import io.protolearn.cli.UserException;
import io.protolearn.training.lane.StepStrategy;
import io.protolearn.training.tensor.HostTensor;
import java.util.Optional;

/**
 * One behaviour of the real miner node swapped for a dishonest one (devnet demo and tests only;
 * {@code miner run --adversary KIND}). The node consults it at the point where an honest miner
 * would do the honest thing; {@link #HONEST} changes nothing. Within a step it is the stage
 * runner's {@link StepStrategy}.
 *
 * <ul>
 *   <li>{@code lazy:F} — skips the compute of a fraction F of its steps (no backward, no update)
 *       and commits fabricated leaves for them; its lane traffic stays plausible;
 *   <li>{@code copycat} — trains (so its lane peers are unharmed) but commits another stage peer's
 *       on-chain commitment (root, steps, delta and base hashes) instead of its own;
 *   <li>{@code corrupt-activations} — sends its lane peer activations with one value changed,
 *       signed by itself, while its own leaf records the honest output (an equivocation);
 *   <li>{@code withholder} — does not serve leaves and evidence to validators;
 *   <li>{@code peer-withholder} — serves validators, but not its commitment and delta to its stage
 *       peers (who then obtain the update from a validator that verified it);
 *   <li>{@code stale-base} — skips the outer step: never fetches its stage peers' deltas and trains
 *       every round from the round-0 base, committing that base's hash. Its steps recompute and its
 *       leaves link; only the validators' aggregation check (DESIGN.md §7) catches it.
 * </ul>
 */
public sealed interface Adversary extends StepStrategy {
  Adversary HONEST = new Honest();

  /** The name as given on the command line. */
  String kind();

  /** Whether this miner fabricates the leaf of step {@code step} instead of computing it. */
  default boolean skips(int step) {
    return false;
  }

  /** A fabricated leaf for the steps this miner {@link #skips}. */
  @Override
  default Optional<Fabricated> fabricate(StepView step) {
    return skips(step.step()) ? Optional.of(LazySteps.fabricate(step)) : Optional.empty();
  }

  /** Whether leaves and evidence are served to validators. */
  default boolean servesValidators() {
    return true;
  }

  /** Whether the commitment and delta are served to stage peers (validators get them anyway). */
  default boolean servesPeers() {
    return true;
  }

  /** Whether each round's base is the outer step over the accepted deltas (else it stays). */
  default boolean aggregates() {
    return true;
  }

  /** Whether the round's commitment is copied from a stage peer's. */
  default boolean copiesCommitment() {
    return false;
  }

  /** Parses {@code --adversary}; a user mistake is one clear line. */
  static Adversary parse(String spec) {
    if (spec == null || spec.isBlank() || spec.equals("none")) {
      return HONEST;
    }
    if (spec.startsWith("lazy")) {
      String f = spec.equals("lazy") ? "0.5" : spec.startsWith("lazy:") ? spec.substring(5) : "";
      try {
        double fraction = Double.parseDouble(f);
        if (fraction > 0 && fraction <= 1) {
          return new Lazy(fraction);
        }
      } catch (NumberFormatException e) {
        // falls through to the message
      }
      throw new UserException(
          "--adversary lazy:F needs a fraction F in (0, 1], e.g. lazy:0.5; got " + spec);
    }
    return switch (spec) {
      case "copycat" -> new Copycat();
      case "corrupt-activations" -> new CorruptActivations();
      case "withholder" -> new Withholder();
      case "peer-withholder" -> new PeerWithholder();
      case "stale-base" -> new StaleBase();
      default ->
          throw new UserException(
              "--adversary must be one of lazy:F, copycat, corrupt-activations, withholder,"
                  + " peer-withholder, stale-base;"
                  + " got "
                  + spec);
    };
  }

  /** The honest miner. */
  record Honest() implements Adversary {
    @Override
    public String kind() {
      return "honest";
    }
  }

  /** Fabricates the steps i where {@code floor((i+1)·F) > floor(i·F)}: evenly spread, F·K of K. */
  record Lazy(double fraction) implements Adversary {
    @Override
    public String kind() {
      return "lazy:" + fraction;
    }

    @Override
    public boolean skips(int step) {
      return Math.floor((step + 1) * fraction) > Math.floor(step * fraction);
    }
  }

  /** Commits a stage peer's commitment. */
  record Copycat() implements Adversary {
    @Override
    public String kind() {
      return "copycat";
    }

    @Override
    public boolean copiesCommitment() {
      return true;
    }
  }

  /** Sends activations with their first value changed. */
  record CorruptActivations() implements Adversary {
    @Override
    public String kind() {
      return "corrupt-activations";
    }

    @Override
    public HostTensor outgoingActivations(HostTensor honest) {
      return honest.withChangedValue(0);
    }
  }

  /** Serves nothing to validators. */
  record Withholder() implements Adversary {
    @Override
    public String kind() {
      return "withholder";
    }

    @Override
    public boolean servesValidators() {
      return false;
    }
  }

  /**
   * Serves validators everything (its steps check, its update is verified available) but refuses
   * its commitment and delta to its stage peers, hoping they stall or aggregate without it.
   */
  record PeerWithholder() implements Adversary {
    @Override
    public String kind() {
      return "peer-withholder";
    }

    @Override
    public boolean servesPeers() {
      return false;
    }
  }

  /** Trains every round from the round-0 base. */
  record StaleBase() implements Adversary {
    @Override
    public String kind() {
      return "stale-base";
    }

    @Override
    public boolean aggregates() {
      return false;
    }
  }
}
