// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title JuryDraw
/// @notice Draws distinct indices of a validator snapshot from one seed (DESIGN §6, v2): a partial
/// Fisher-Yates shuffle of [0, n) whose swaps live in memory, so each index is drawn independently
/// and without replacement — never a run of neighbouring slots — in O(k²) memory work for k draws.
library JuryDraw {
    /// @notice The first `k` entries of a uniformly random permutation of [0, n) determined by
    /// `seed` (k is capped at n). Entry i is keccak256(seed, i) reduced over the n - i indices not
    /// yet drawn.
    function sample(bytes32 seed, uint256 n, uint256 k) internal pure returns (uint256[] memory drawn) {
        if (k > n) k = n;
        drawn = new uint256[](k);
        // sparse swap table: position keys[t] holds value vals[t]; any other position p holds p
        uint256[] memory keys = new uint256[](k);
        uint256[] memory vals = new uint256[](k);
        uint256 used;
        for (uint256 i = 0; i < k; ++i) {
            uint256 j = i + uint256(keccak256(abi.encode(seed, i))) % (n - i);
            (uint256 atJ, uint256 slotJ) = _get(keys, vals, used, j);
            (uint256 atI,) = _get(keys, vals, used, i);
            drawn[i] = atJ;
            // swap: position j now holds what position i held; position i is below every later
            // draw's range and is never read again
            if (slotJ == type(uint256).max) {
                keys[used] = j;
                vals[used] = atI;
                ++used;
            } else {
                vals[slotJ] = atI;
            }
        }
    }

    function _get(uint256[] memory keys, uint256[] memory vals, uint256 used, uint256 p)
        private
        pure
        returns (uint256 value, uint256 slot)
    {
        for (uint256 t = 0; t < used; ++t) {
            if (keys[t] == p) return (vals[t], t);
        }
        return (p, type(uint256).max);
    }
}
