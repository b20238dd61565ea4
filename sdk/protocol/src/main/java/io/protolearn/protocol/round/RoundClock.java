package io.protolearn.protocol.round;

/**
 * The block schedule of one round, as RunManager.clockOf returns it (all bounds inclusive): commits
 * in {@code start..commitDeadline}; the hash of {@code seedBlock} (commitDeadline + 1) seeds the
 * round's sampling; attestations and jury challenges until {@code checkEnd}; juror vote commitments
 * until {@code voteCommitEnd}, reveals until {@code voteEnd}; finalization and claims from {@link
 * #finalizeFrom()}. Pinned by contracts/test/vectors/round-clock.json.
 */
public record RoundClock(
    long round,
    long start,
    long commitDeadline,
    long seedBlock,
    long checkEnd,
    long voteCommitEnd,
    long voteEnd) {

  /** The first block in which the round may be finalized and claimed (voteEnd + 1). */
  public long finalizeFrom() {
    return voteEnd + 1;
  }
}
