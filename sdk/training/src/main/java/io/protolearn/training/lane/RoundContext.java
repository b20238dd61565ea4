package io.protolearn.training.lane;

import io.protolearn.protocol.crypto.TensorMessage;

/** The coordinates every message and leaf of a round carries. */
public record RoundContext(long runId, long round, TensorMessage.Domain domain) {}
