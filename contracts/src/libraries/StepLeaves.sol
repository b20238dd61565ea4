// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IDisputeManager} from "../interfaces/IDisputeManager.sol";

/// @title StepLeaves
/// @notice Step-leaf hashing and inclusion proofs, identical to @openzeppelin/merkle-tree's
/// StandardMerkleTree with leaf types [uint256 runId, uint256 round, address miner, uint256 stage,
/// uint256 lane, uint256 step, bytes32 x 8] (sorted-pair keccak256 nodes).
library StepLeaves {
    /// @notice keccak256(bytes.concat(keccak256(abi.encode(leaf fields in order)))).
    function hash(IDisputeManager.StepLeaf calldata leaf) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(leaf))));
    }

    /// @notice Whether `leaf` is in the tree with root `root`.
    function verify(IDisputeManager.StepLeaf calldata leaf, bytes32[] calldata proof, bytes32 root)
        internal
        pure
        returns (bool)
    {
        return MerkleProof.verifyCalldata(proof, root, hash(leaf));
    }
}
