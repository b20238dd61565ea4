package io.protolearn.node.artifact;

import io.protolearn.protocol.leaf.Commitment;

/** A miner's commitment of a round as its {@code commitment} route serves it, with its place. */
public record ServedCommitment(Commitment commitment, int lane, int stage) {}
