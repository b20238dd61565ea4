// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IRunManager} from "../interfaces/IRunManager.sol";

/// @title RunParams
/// @notice Bounds of a run's parameters and their packed storage form.
library RunParams {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant MAX_STAKE = 1_000_000 ether;
    uint256 internal constant MAX_JURORS = 31;
    uint256 internal constant MAX_WINDOW_BLOCKS = 1_000_000;
    uint256 internal constant MAX_SHARES_PER_ROUND = 1e27;
    uint256 internal constant MAX_UNBONDING_BLOCKS = 10_000_000;

    /// @notice One version of a run's parameters, packed into four slots. The clock fields say that
    /// round `fromRound` starts at block `anchorBlock` and later rounds follow every
    /// commitBlocks + checkBlocks + voteBlocks blocks.
    struct Stored {
        // slot 0
        uint32 fromRound;
        uint48 anchorBlock;
        uint24 commitBlocks;
        uint24 checkBlocks;
        uint24 voteBlocks;
        uint16 sampleRateBps;
        uint16 slashBps;
        uint16 validatorShareBps;
        uint8 jurorCount;
        // slot 1
        uint128 minMinerStake;
        uint128 minValidatorStake;
        // slot 2
        uint128 challengeBond;
        uint128 jurorBond;
        // slot 3
        uint128 sharesPerRound;
        uint64 unbondingBlocks;
    }

    /// @notice Reverts with RunManagerParamOutOfBounds naming the first parameter out of its bounds.
    function validate(IRunManager.Params calldata p) internal pure {
        _check("minMinerStake", p.minMinerStake, 1, MAX_STAKE);
        _check("minValidatorStake", p.minValidatorStake, 1, MAX_STAKE);
        _check("sampleRateBps", p.sampleRateBps, 1, BPS);
        _check("slashBps", p.slashBps, 1, BPS);
        _check("challengeBond", p.challengeBond, 1, MAX_STAKE);
        _check("jurorCount", p.jurorCount, 1, MAX_JURORS);
        // a full jury never ties (DESIGN §6); ties among partial reveals still favour the miner
        if (p.jurorCount % 2 == 0) revert IRunManager.RunManagerJurorCountEven(p.jurorCount);
        _check("jurorBond", p.jurorBond, 1, p.minValidatorStake);
        _check("commitBlocks", p.commitBlocks, 1, MAX_WINDOW_BLOCKS);
        _check("checkBlocks", p.checkBlocks, 2, MAX_WINDOW_BLOCKS);
        _check("voteBlocks", p.voteBlocks, 2, MAX_WINDOW_BLOCKS);
        _check("sharesPerRound", p.sharesPerRound, 1, MAX_SHARES_PER_ROUND);
        _check("validatorShareBps", p.validatorShareBps, 0, BPS);
        // stake must not leave before it can be slashed: a whole round plus the dispute windows
        uint256 minUnbonding = p.commitBlocks + 2 * (p.checkBlocks + p.voteBlocks) + 1;
        _check("unbondingBlocks", p.unbondingBlocks, minUnbonding, MAX_UNBONDING_BLOCKS);
    }

    /// @notice Packs validated parameters with their clock anchor.
    function pack(IRunManager.Params calldata p, uint256 fromRound, uint256 anchorBlock)
        internal
        pure
        returns (Stored memory s)
    {
        s.fromRound = uint32(fromRound);
        s.anchorBlock = uint48(anchorBlock);
        s.commitBlocks = uint24(p.commitBlocks);
        s.checkBlocks = uint24(p.checkBlocks);
        s.voteBlocks = uint24(p.voteBlocks);
        s.sampleRateBps = uint16(p.sampleRateBps);
        s.slashBps = uint16(p.slashBps);
        s.validatorShareBps = uint16(p.validatorShareBps);
        s.jurorCount = uint8(p.jurorCount);
        s.minMinerStake = uint128(p.minMinerStake);
        s.minValidatorStake = uint128(p.minValidatorStake);
        s.challengeBond = uint128(p.challengeBond);
        s.jurorBond = uint128(p.jurorBond);
        s.sharesPerRound = uint128(p.sharesPerRound);
        s.unbondingBlocks = uint64(p.unbondingBlocks);
    }

    /// @notice The ABI form of stored parameters.
    function unpack(Stored storage s) internal view returns (IRunManager.Params memory p) {
        p.minMinerStake = s.minMinerStake;
        p.minValidatorStake = s.minValidatorStake;
        p.sampleRateBps = s.sampleRateBps;
        p.slashBps = s.slashBps;
        p.challengeBond = s.challengeBond;
        p.jurorCount = s.jurorCount;
        p.jurorBond = s.jurorBond;
        p.commitBlocks = s.commitBlocks;
        p.checkBlocks = s.checkBlocks;
        p.voteBlocks = s.voteBlocks;
        p.sharesPerRound = s.sharesPerRound;
        p.validatorShareBps = s.validatorShareBps;
        p.unbondingBlocks = s.unbondingBlocks;
    }

    function _check(string memory name, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) {
            revert IRunManager.RunManagerParamOutOfBounds(name, value, min, max);
        }
    }
}
