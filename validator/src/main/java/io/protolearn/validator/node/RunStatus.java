package io.protolearn.validator.node;

/**
 * The run as its governance left it, seen by the validator node (DESIGN.md §8).
 *
 * @param paused no commits for now: the node serves what is owed and idles
 * @param halted no commits or rounds from {@code haltedFromRound} on
 * @param haltedFromRound the first halted round (meaningful when halted)
 * @param settled halted, and this validator owes nothing more: every round before the halt it was
 *     due to check is checked or past its window, no jury duty is open, every such round is
 *     finalized and claimed and no dispute payment is left to withdraw — the node may stop
 */
public record RunStatus(boolean paused, boolean halted, long haltedFromRound, boolean settled) {}
