package io.protolearn.miner.node;

/**
 * Which commitment the node sends for a round it trained: its own ({@link #OWN}, the honest miner)
 * or, swapped in by the copycat adversary, a stage peer's ({@link CopycatCommitment}).
 */
@FunctionalInterface
interface CommitmentChoice {
  CommitmentChoice OWN = (own, from, deadline) -> own;

  /**
   * The record to journal and commit for the round of {@code own}, trained between the round's
   * first block {@code from} and the (margined) commit deadline.
   */
  RoundJournal.Trained choose(RoundJournal.Trained own, long from, long deadline);
}
