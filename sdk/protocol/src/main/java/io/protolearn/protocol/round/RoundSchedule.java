package io.protolearn.protocol.round;

/**
 * One version of a run's windows (RunManager's ParamsSet: rounds from {@code fromRound} on start at
 * {@code anchorBlock}, each {@code commitBlocks + checkBlocks + voteBlocks} long), and the round
 * clock the RunManager computes from it.
 */
public record RoundSchedule(
    long fromRound, long anchorBlock, long commitBlocks, long checkBlocks, long voteBlocks) {

  public RoundSchedule {
    if (fromRound < 0 || anchorBlock < 0 || commitBlocks < 1 || checkBlocks < 1 || voteBlocks < 1) {
      throw new IllegalArgumentException("invalid round schedule");
    }
  }

  public long roundBlocks() {
    return commitBlocks + checkBlocks + voteBlocks;
  }

  /** The clock of {@code round} (at least {@code fromRound}) under these windows. */
  public RoundClock clock(long round) {
    if (round < fromRound) {
      throw new IllegalArgumentException("round " + round + " precedes " + fromRound);
    }
    long start = anchorBlock + (round - fromRound) * roundBlocks();
    long commitDeadline = start + commitBlocks - 1;
    long checkEnd = commitDeadline + checkBlocks;
    return new RoundClock(
        round,
        start,
        commitDeadline,
        start + commitBlocks,
        checkEnd,
        checkEnd + voteBlocks / 2,
        checkEnd + voteBlocks);
  }
}
