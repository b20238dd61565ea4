package io.protolearn.node.settle;

import io.protolearn.chain.client.RunClient;
import io.protolearn.chain.model.RoundInfo;
import io.protolearn.chain.tx.ProtocolRevertException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The finalize-and-claim loop of a miner or a validator (DESIGN.md §6, §8): over a range of rounds,
 * makes sure each round is final (finalizing it once its vote window has passed and no dispute of
 * it is open, where the {@link Policy} says so) and claims this party's share of it.
 *
 * <p>What the party holds in a round is its {@link Stake}: a miner's unclaimed, unconvicted commit,
 * a validator's unclaimed attestation.
 */
public final class RoundSettler {
  private static final Logger LOG = LoggerFactory.getLogger(RoundSettler.class);

  /** What this party holds in a round. */
  @FunctionalInterface
  public interface Stake {
    /** Whether the party holds a share of {@code round} not claimed yet (nor forfeited). */
    boolean unclaimed(long round);
  }

  /**
   * How the loop goes.
   *
   * @param inOrder rounds are settled in turn: every round is finalized (stake or not) and the loop
   *     stops at the first that is not final yet; else only rounds with a stake are looked at and
   *     the others are skipped
   * @param finalizes whether a round that is due is finalized here (anyone may) or only claimed
   *     once someone else finalized it
   * @param claimsZero whether a share of zero is claimed (it marks the stake claimed)
   */
  public record Policy(boolean inOrder, boolean finalizes, boolean claimsZero) {
    /** A validator's: in order, finalizing, no empty claims. */
    public static final Policy VALIDATOR = new Policy(true, true, false);

    /** A running miner's: its own rounds, once finalized by someone. */
    public static final Policy MINER = new Policy(false, false, true);

    /** A miner's after a halt (DESIGN §8): its own rounds, finalizing them when due. */
    public static final Policy MINER_HALTED = new Policy(false, true, true);
  }

  /** A share claimed. */
  public record Claim(long round, BigInteger amount, TransactionReceipt receipt) {}

  /**
   * The result of a pass.
   *
   * @param next the first round not settled (in order: where the next pass starts)
   * @param pending the rounds with a stake that are not final yet
   */
  public record Pass(long next, List<Long> pending) {}

  private final RunClient runs;
  private final String party;
  private final Policy policy;

  /**
   * @param party the claiming account's address (hex)
   */
  public RoundSettler(RunClient runs, String party, Policy policy) {
    this.runs = runs;
    this.party = party;
    this.policy = policy;
  }

  /**
   * Settles the rounds {@code from} to {@code to - 1} as far as block {@code head} allows; each
   * claim goes to {@code claimed}.
   */
  public Pass settle(long from, long to, long head, Stake stake, Consumer<Claim> claimed) {
    List<Long> pending = new ArrayList<>();
    for (long r = from; r < to; r++) {
      if (policy.inOrder()) {
        if (!isFinal(r, head)) {
          return new Pass(r, pending);
        }
        if (stake.unclaimed(r)) {
          claim(r, claimed);
        }
        continue;
      }
      if (!stake.unclaimed(r)) {
        continue;
      }
      if (!isFinal(r, head)) {
        pending.add(r);
        continue;
      }
      claim(r, claimed);
    }
    return new Pass(to, pending);
  }

  private void claim(long r, Consumer<Claim> claimed) {
    BigInteger amount = runs.claimable(r, party);
    if (amount.signum() <= 0 && !policy.claimsZero()) {
      return;
    }
    try {
      TransactionReceipt receipt = runs.claim(r);
      claimed.accept(new Claim(r, amount, receipt));
    } catch (ProtocolRevertException e) {
      LOG.warn("claim of round {} refused: {}", r, e.getMessage());
    }
  }

  /** Whether round {@code r} is final, finalizing it here when the policy says so and it is due. */
  private boolean isFinal(long r, long head) {
    if (policy.inOrder() && head < runs.clock(r).voteEnd()) {
      return false; // in order: not even the chain is asked about rounds still voting
    }
    RoundInfo info = runs.roundInfo(r);
    if (info.finalized()) {
      return true;
    }
    if (!policy.finalizes() || head < runs.clock(r).voteEnd()) {
      return false; // the vote window is open; disputes left open after it are resolved here
    }
    try {
      runs.finalizeRound(r);
      return true;
    } catch (ProtocolRevertException e) {
      LOG.debug("round {}: not finalized yet: {}", r, e.getMessage());
      return runs.roundInfo(r).finalized();
    }
  }
}
