// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IDisputeManager} from "../interfaces/IDisputeManager.sol";
import {StepLeaves} from "../libraries/StepLeaves.sol";

/// @title StepLeafHarness
/// @notice Test only: exposes StepLeaves, the hashing and proof check the DisputeManager uses.
contract StepLeafHarness {
    /// @notice The leaf hash of `leaf`.
    function hashLeaf(IDisputeManager.StepLeaf calldata leaf) external pure returns (bytes32) {
        return StepLeaves.hash(leaf);
    }

    /// @notice Whether `leaf` with `proof` is in the tree of `root`.
    function verifyLeaf(IDisputeManager.StepLeaf calldata leaf, bytes32[] calldata proof, bytes32 root)
        external
        pure
        returns (bool)
    {
        return StepLeaves.verify(leaf, proof, root);
    }
}
