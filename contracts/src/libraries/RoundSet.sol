// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

/// @title RoundSet
/// @notice A set of addresses whose membership is snapshotted per round with O(1) updates and
/// O(log changes) reads: slot i of the set in round r is the value of slot i's latest checkpoint
/// with key <= r, the size in round r likewise. Removal moves the last slot into the hole
/// (swap-and-pop), so the order is the contract's slot order, not sorted. Updates must be made
/// with non-decreasing rounds.
library RoundSet {
    using Checkpoints for Checkpoints.Trace160;

    struct Set {
        Checkpoints.Trace160 size;
        mapping(uint256 index => Checkpoints.Trace160) slots;
        mapping(address account => uint256) positionPlusOne;
    }

    /// @notice Adds `account` (not yet present) from round `fromRound` on.
    function add(Set storage set, address account, uint256 fromRound) internal {
        uint256 n = set.size.latest();
        set.slots[n].push(uint96(fromRound), uint160(account));
        set.positionPlusOne[account] = n + 1;
        set.size.push(uint96(fromRound), uint160(n + 1));
    }

    /// @notice Removes `account` (present) from round `fromRound` on.
    function remove(Set storage set, address account, uint256 fromRound) internal {
        uint256 index = set.positionPlusOne[account] - 1;
        uint256 last = set.size.latest() - 1;
        if (index != last) {
            address moved = address(set.slots[last].latest());
            set.slots[index].push(uint96(fromRound), uint160(moved));
            set.positionPlusOne[moved] = index + 1;
        }
        delete set.positionPlusOne[account];
        set.size.push(uint96(fromRound), uint160(last));
    }

    /// @notice Whether `account` is in the newest version of the set.
    function containsLatest(Set storage set, address account) internal view returns (bool) {
        return set.positionPlusOne[account] != 0;
    }

    /// @notice Size of the set in round `round`.
    function sizeAt(Set storage set, uint256 round) internal view returns (uint256) {
        return set.size.upperLookupRecent(uint96(round));
    }

    /// @notice Member at `index` in round `round` (index < sizeAt(round)).
    function at(Set storage set, uint256 round, uint256 index) internal view returns (address) {
        return address(set.slots[index].upperLookupRecent(uint96(round)));
    }

    /// @notice All members in round `round`, in slot order (for off-chain readers).
    function membersAt(Set storage set, uint256 round) internal view returns (address[] memory members) {
        uint256 n = sizeAt(set, round);
        members = new address[](n);
        for (uint256 i = 0; i < n; ++i) {
            members[i] = at(set, round, i);
        }
    }
}
