package io.protolearn.chain.model;

/** A miner's commitment in a round as stored (RunManager.commitmentOf). */
public record CommitmentInfo(
    boolean committed, int stage, long stepCount, boolean convicted, boolean claimed) {}
