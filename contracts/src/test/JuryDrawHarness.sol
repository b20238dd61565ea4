// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {JuryDraw} from "../libraries/JuryDraw.sol";

/// @dev Test-only: exposes JuryDraw and measures how often a coalition holds a jury majority.
contract JuryDrawHarness {
    function sample(bytes32 seed, uint256 n, uint256 k) external pure returns (uint256[] memory) {
        return JuryDraw.sample(seed, n, k);
    }

    /// @return held draws (of `draws`, seeds keccak256(base, d)) whose first k entries hold both a and b
    /// @return seen how often each index of [0, n) was drawn
    function coalitionMajorities(bytes32 base, uint256 n, uint256 k, uint256 a, uint256 b, uint256 draws)
        external
        pure
        returns (uint256 held, uint256[] memory seen)
    {
        seen = new uint256[](n);
        for (uint256 d = 0; d < draws; ++d) {
            uint256[] memory jury = JuryDraw.sample(keccak256(abi.encode(base, d)), n, k);
            uint256 mine;
            for (uint256 i = 0; i < jury.length; ++i) {
                seen[jury[i]] += 1;
                if (jury[i] == a || jury[i] == b) ++mine;
            }
            if (mine * 2 > k) ++held;
        }
    }
}
