package io.protolearn.training.data;

import io.protolearn.training.tensor.HostTensor;

/**
 * One micro-batch: int32 inputs [B,T] and the next-token labels [B,T] (inputs shifted by one), with
 * the window it came from.
 */
public record Batch(HostTensor inputs, HostTensor labels, long sampleIndex) {}
