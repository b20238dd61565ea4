// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Evidence
/// @notice The fault kinds and the evidence hashes the DisputeManager keys fraud proofs, jury
/// challenges and juror forfeits by (each evidence hash is used once). Every hash is
/// keccak256(abi.encode(tag, ...)) with tag = fraud kind 0..3, 16 + challenge kind, or 32.
/// @dev The Java protocol module mirrors these encodings; test/vectors/evidence.json pins them.
library Evidence {
    uint256 internal constant FRAUD_CHAIN_BREAK = 0;
    uint256 internal constant FRAUD_BASE_MISMATCH = 1;
    uint256 internal constant FRAUD_EQUIVOCATION = 2;
    uint256 internal constant FRAUD_MALFORMED = 3;
    uint256 internal constant CHALLENGE_WRONG_RESULT = 0;
    uint256 internal constant CHALLENGE_UNAVAILABLE = 1;
    /// @dev Evidence tag of challenge kind k is CHALLENGE_TAG + k.
    uint256 internal constant CHALLENGE_TAG = 16;
    /// @dev Evidence tag of a juror's forfeited bond.
    uint256 internal constant JUROR_TAG = 32;

    /// @notice Two consecutive leaves (hashes `leafA`, `leafB`) whose parameter hashes do not link.
    function chainBreak(uint256 runId, uint256 round, address miner, bytes32 leafA, bytes32 leafB)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(FRAUD_CHAIN_BREAK, runId, round, miner, leafA, leafB));
    }

    /// @notice A step-0 leaf that does not start from the committed base.
    function baseMismatch(uint256 runId, uint256 round, address miner, bytes32 leaf) internal pure returns (bytes32) {
        return keccak256(abi.encode(FRAUD_BASE_MISMATCH, runId, round, miner, leaf));
    }

    /// @notice A signed lane message (its EIP-712 `digest`) contradicting the signer's own leaf.
    function equivocation(bytes32 digest) internal pure returns (bytes32) {
        return keccak256(abi.encode(FRAUD_EQUIVOCATION, digest));
    }

    /// @notice A leaf under the committed root whose coordinates contradict the commitment.
    function malformed(uint256 runId, uint256 round, address miner, bytes32 leaf) internal pure returns (bytes32) {
        return keccak256(abi.encode(FRAUD_MALFORMED, runId, round, miner, leaf));
    }

    /// @notice A jury challenge claiming the leaf was computed wrongly.
    function wrongResult(uint256 runId, uint256 round, address miner, bytes32 leaf) internal pure returns (bytes32) {
        return keccak256(abi.encode(CHALLENGE_TAG + CHALLENGE_WRONG_RESULT, runId, round, miner, leaf));
    }

    /// @notice A jury challenge claiming the miner did not serve step `step`.
    function unavailable(uint256 runId, uint256 round, address miner, uint256 step) internal pure returns (bytes32) {
        return keccak256(abi.encode(CHALLENGE_TAG + CHALLENGE_UNAVAILABLE, runId, round, miner, step));
    }

    /// @notice The bond a drawn juror forfeits by not revealing its vote.
    function jurorForfeit(uint256 challengeId, address juror) internal pure returns (bytes32) {
        return keccak256(abi.encode(JUROR_TAG, challengeId, juror));
    }
}
