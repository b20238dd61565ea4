package io.protolearn.chain.model;

import io.protolearn.protocol.crypto.Bytes32;

/** What a run was registered with (RunManager.runSpec), immutable after createRun. */
public record RunSpec(
    Bytes32 modelSpecHash,
    Bytes32 dataSpecHash,
    Bytes32 trainSpecHash,
    Bytes32 dataRoot,
    Bytes32 initialCheckpointHash,
    int stageCount,
    long maxStepsPerRound,
    long startBlock) {}
