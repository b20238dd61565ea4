// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Evidence} from "../libraries/Evidence.sol";

/// @title EvidenceHarness
/// @notice Test only: exposes Evidence, the evidence hashes the DisputeManager uses.
contract EvidenceHarness {
    /// @notice The evidence tags: challenge kind k is tagged challengeTag + k; juror forfeits jurorTag.
    function tags() external pure returns (uint256 challengeTag, uint256 jurorTag) {
        return (Evidence.CHALLENGE_TAG, Evidence.JUROR_TAG);
    }

    /// @notice Evidence.chainBreak.
    function chainBreak(uint256 runId, uint256 round, address miner, bytes32 leafA, bytes32 leafB)
        external
        pure
        returns (bytes32)
    {
        return Evidence.chainBreak(runId, round, miner, leafA, leafB);
    }

    /// @notice Evidence.baseMismatch.
    function baseMismatch(uint256 runId, uint256 round, address miner, bytes32 leaf) external pure returns (bytes32) {
        return Evidence.baseMismatch(runId, round, miner, leaf);
    }

    /// @notice Evidence.equivocation.
    function equivocation(bytes32 digest) external pure returns (bytes32) {
        return Evidence.equivocation(digest);
    }

    /// @notice Evidence.malformed.
    function malformed(uint256 runId, uint256 round, address miner, bytes32 leaf) external pure returns (bytes32) {
        return Evidence.malformed(runId, round, miner, leaf);
    }

    /// @notice Evidence.wrongResult.
    function wrongResult(uint256 runId, uint256 round, address miner, bytes32 leaf) external pure returns (bytes32) {
        return Evidence.wrongResult(runId, round, miner, leaf);
    }

    /// @notice Evidence.unavailable.
    function unavailable(uint256 runId, uint256 round, address miner, uint256 step) external pure returns (bytes32) {
        return Evidence.unavailable(runId, round, miner, step);
    }

    /// @notice Evidence.jurorForfeit.
    function jurorForfeit(uint256 challengeId, address juror) external pure returns (bytes32) {
        return Evidence.jurorForfeit(challengeId, juror);
    }
}
