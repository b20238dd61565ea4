package io.protolearn.protocol.run;

import io.protolearn.protocol.crypto.Bytes32;

/**
 * What a run registers on chain about its three spec documents (DESIGN.md §2, {@code
 * IRunManager.RunSpec}): their hashes, the data's Merkle root, the hash of the round-0 bases and
 * the number of pipeline stages. The training core computes them from the specs; the deployer
 * registers them.
 */
public record SpecHashes(
    Bytes32 modelSpecHash,
    Bytes32 dataSpecHash,
    Bytes32 trainSpecHash,
    Bytes32 dataRoot,
    Bytes32 initialCheckpointHash,
    int stageCount) {}
