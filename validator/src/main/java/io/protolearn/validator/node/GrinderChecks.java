package io.protolearn.validator.node;

import io.protolearn.chain.model.Challenge;
import io.protolearn.protocol.crypto.Address;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The jury-grinder adversary of the devnet demo ({@code validator run --adversary jury-grinder}),
 * one of a colluding pair: it checks honestly, except that in every round it accuses the first
 * miner whose step it found served and correct of not serving it, and as a juror it votes guilty on
 * every challenge — so when its partner files, it is the partner's vote. In v1 such a pair computed
 * the jury of the next challenge id at filing time and burnt ids until its members held the
 * majority; now the jury is drawn from the hash of a block after the filing (DESIGN §6 v2), there
 * is nothing to compute when filing, and the honest majority of the jury acquits: each bogus
 * challenge costs the filer the majority jurors' half of its bond.
 */
public final class GrinderChecks implements StepChecks {
  private final StepChecks honest;

  /**
   * Per round, the one step it accuses ("miner/step"): asked again before filing, it says so again.
   */
  private final Map<Long, String> accused = new HashMap<>();

  /** Decorates {@code honest}, which does every check but the one accusation per round. */
  public GrinderChecks(StepChecks honest) {
    this.honest = honest;
  }

  @Override
  public CheckOutcome check(RoundView view, Address miner, int step) {
    String key = miner + "/" + step;
    CheckOutcome o = honest.check(view, miner, step);
    synchronized (accused) {
      if (key.equals(accused.get(view.round()))
          || (o instanceof CheckOutcome.Match && accused.putIfAbsent(view.round(), key) == null)) {
        // a step it found served and correct: the accusation is without cause
        return new CheckOutcome.Unavailable(miner, step, "jury-grinder: accused without cause");
      }
    }
    return o;
  }

  @Override
  public void prepare(long currentRound) {
    honest.prepare(currentRound);
  }

  @Override
  public void available(RoundView view, Set<Address> verified, BooleanSupplier timeUp) {
    honest.available(view, verified, timeUp);
  }

  @Override
  public boolean verdict(Challenge challenge, boolean honestVerdict) {
    return true;
  }
}
