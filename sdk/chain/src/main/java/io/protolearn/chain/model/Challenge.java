package io.protolearn.chain.model;

import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.dispute.ChallengeStatus;
import io.protolearn.protocol.dispute.FaultKind;
import java.math.BigInteger;

/**
 * A jury dispute (DisputeManager.challengeOf). Until a jury sits ({@code draws} 0, or a redraw due)
 * {@code voteCommitEnd} and {@code voteEnd} are 0 and the jury is drawn from the hash of {@code
 * drawBlock} by a {@code drawJury} call made after it, for {@link #DRAW_BLOCKS} blocks.
 */
public record Challenge(
    long runId,
    long round,
    String miner,
    String challenger,
    FaultKind kind,
    long step,
    Bytes32 evidenceHash,
    BigInteger bond,
    ChallengeStatus status,
    BigInteger jurorBond,
    int slashBps,
    long voteCommitEnd,
    long voteEnd,
    long guiltyVotes,
    long innocentVotes,
    long drawBlock,
    int draws,
    int seats) {

  /** DisputeManager.JURY_DRAW_BLOCKS: how long after its seed block a jury can be drawn. */
  public static final long DRAW_BLOCKS = 256;

  public boolean open() {
    return status == ChallengeStatus.OPEN;
  }

  /** Whether the challenge waits for {@code drawJury} (its first jury, or a redraw). */
  public boolean juryDue() {
    return open() && voteEnd == 0;
  }

  /** Whether a transaction landing in block {@code next} can draw the jury. */
  public boolean drawableAt(long next) {
    return juryDue() && next > drawBlock && next <= drawBlock + DRAW_BLOCKS;
  }

  /**
   * Whether a transaction landing in block {@code next} can resolve it: after the vote window, or
   * once a jury can no longer be drawn. (Everyone revealing early also allows it; not told here.)
   */
  public boolean resolvableAt(long next) {
    return open() && (juryDue() ? next > drawBlock + DRAW_BLOCKS : next > voteEnd);
  }
}
