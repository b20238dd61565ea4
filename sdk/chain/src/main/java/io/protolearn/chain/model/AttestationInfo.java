package io.protolearn.chain.model;

import io.protolearn.protocol.crypto.Bytes32;

/** A validator's attestation of a round (RunManager.attestationOf). */
public record AttestationInfo(
    Bytes32 receiptsRoot, long checks, boolean attested, boolean claimed) {}
