// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {IStakeManager} from "../interfaces/IStakeManager.sol";
import {IRunManager} from "../interfaces/IRunManager.sol";

/// @title StakeManager
/// @notice Holds native-ETH stake per (run, account). Unbonding stake stays slashable until it is
/// withdrawn; withdrawals wait for the run's unbondingBlocks and for every dispute involving the
/// account to close. Slashed ETH goes to the DisputeManager, which credits or burns it.
/// @dev Invariant: address(this).balance == totalStaked + totalUnbonding.
contract StakeManager is IStakeManager, ReentrancyGuard {
    struct Account {
        uint128 staked;
        uint128 unbonding;
        uint64 releaseBlock;
        uint32 locks;
        uint128 required;
        uint128 deposited;
        uint128 slashed;
    }

    address private immutable _initializer;
    address private _runManager;
    address private _disputeManager;

    uint256 private _totalStaked;
    uint256 private _totalUnbonding;

    mapping(uint256 runId => mapping(address account => Account)) private _accounts;
    mapping(bytes32 evidenceHash => bool) private _evidenceUsed;

    modifier onlyRunManager() {
        if (msg.sender != _runManager) revert StakeManagerNotRunManager(msg.sender);
        _;
    }

    modifier onlyDisputeManager() {
        if (msg.sender != _disputeManager) revert StakeManagerNotDisputeManager(msg.sender);
        _;
    }

    constructor() {
        _initializer = msg.sender;
    }

    /// @inheritdoc IStakeManager
    function setManagers(address runManager_, address disputeManager_) external {
        if (msg.sender != _initializer) revert StakeManagerNotInitializer(msg.sender);
        if (_runManager != address(0)) revert StakeManagerAlreadyInitialized();
        if (runManager_ == address(0) || disputeManager_ == address(0)) revert StakeManagerZeroAddress();
        _runManager = runManager_;
        _disputeManager = disputeManager_;
        emit ManagersSet(runManager_, disputeManager_);
    }

    /// @inheritdoc IStakeManager
    function stake(uint256 runId) external payable {
        if (msg.value == 0) revert StakeManagerZeroAmount();
        if (runId == 0 || runId > IRunManager(_runManager).runCount()) revert StakeManagerUnknownRun(runId);
        Account storage a = _accounts[runId][msg.sender];
        a.staked += uint128(msg.value);
        a.deposited += uint128(msg.value);
        _totalStaked += msg.value;
        emit Staked(runId, msg.sender, msg.value, a.staked);
    }

    /// @inheritdoc IStakeManager
    function requestUnbond(uint256 runId, uint256 amount) external {
        if (amount == 0) revert StakeManagerZeroAmount();
        Account storage a = _accounts[runId][msg.sender];
        uint256 free = a.staked > a.required ? a.staked - a.required : 0;
        if (amount > free) revert StakeManagerInsufficientStake(runId, msg.sender, free, amount);
        uint256 releaseBlock = block.number + _unbondingBlocks(runId);
        a.staked -= uint128(amount);
        a.unbonding += uint128(amount);
        a.releaseBlock = uint64(releaseBlock);
        _totalStaked -= amount;
        _totalUnbonding += amount;
        emit UnbondRequested(runId, msg.sender, amount, a.unbonding, releaseBlock);
    }

    /// @inheritdoc IStakeManager
    function withdraw(uint256 runId) external nonReentrant {
        Account storage a = _accounts[runId][msg.sender];
        uint256 amount = a.unbonding;
        if (amount == 0) revert StakeManagerNothingToWithdraw(runId, msg.sender);
        if (block.number < a.releaseBlock) revert StakeManagerUnbondingNotDue(runId, msg.sender, a.releaseBlock);
        if (a.locks != 0) revert StakeManagerAccountLocked(runId, msg.sender, a.locks);
        a.unbonding = 0;
        _totalUnbonding -= amount;
        emit Withdrawn(runId, msg.sender, amount);
        Address.sendValue(payable(msg.sender), amount);
    }

    /// @inheritdoc IStakeManager
    function setRequirement(uint256 runId, address account, uint256 required) external onlyRunManager {
        _accounts[runId][account].required = uint128(required);
        emit RequirementSet(runId, account, required);
    }

    /// @inheritdoc IStakeManager
    function lock(uint256 runId, address account) external onlyDisputeManager {
        uint256 locks = ++_accounts[runId][account].locks;
        emit Locked(runId, account, locks);
    }

    /// @inheritdoc IStakeManager
    function unlock(uint256 runId, address account) external onlyDisputeManager {
        Account storage a = _accounts[runId][account];
        if (a.locks == 0) revert StakeManagerNotLocked(runId, account);
        uint256 locks = --a.locks;
        emit Unlocked(runId, account, locks);
    }

    /// @inheritdoc IStakeManager
    function slash(uint256 runId, address account, uint256 amount, bytes32 evidenceHash)
        external
        onlyDisputeManager
        nonReentrant
        returns (uint256 slashed)
    {
        if (_evidenceUsed[evidenceHash]) revert StakeManagerEvidenceUsed(evidenceHash);
        _evidenceUsed[evidenceHash] = true;
        Account storage a = _accounts[runId][account];
        uint256 fromStake = amount < a.staked ? amount : a.staked;
        uint256 rest = amount - fromStake;
        uint256 fromUnbonding = rest < a.unbonding ? rest : a.unbonding;
        a.staked -= uint128(fromStake);
        a.unbonding -= uint128(fromUnbonding);
        slashed = fromStake + fromUnbonding;
        a.slashed += uint128(slashed);
        _totalStaked -= fromStake;
        _totalUnbonding -= fromUnbonding;
        emit Slashed(runId, account, evidenceHash, slashed);
        if (slashed != 0) Address.sendValue(payable(_disputeManager), slashed);
    }

    /// @dev The longer of the unbonding periods in force now and from the next round, so a pending
    /// parameter change cannot shorten the window in which the stake stays slashable.
    function _unbondingBlocks(uint256 runId) private view returns (uint256) {
        IRunManager rm = IRunManager(_runManager);
        uint256 current = rm.paramsAt(runId, rm.currentRound(runId)).unbondingBlocks;
        uint256 latest = rm.latestParams(runId).unbondingBlocks;
        return current > latest ? current : latest;
    }

    /// @inheritdoc IStakeManager
    function accountOf(uint256 runId, address account) external view returns (StakeAccount memory s) {
        Account storage a = _accounts[runId][account];
        s = StakeAccount({
            staked: a.staked,
            unbonding: a.unbonding,
            releaseBlock: a.releaseBlock,
            locks: a.locks,
            required: a.required,
            deposited: a.deposited,
            slashed: a.slashed
        });
    }

    /// @inheritdoc IStakeManager
    function stakeOf(uint256 runId, address account) external view returns (uint256) {
        return _accounts[runId][account].staked;
    }

    /// @inheritdoc IStakeManager
    function slashableOf(uint256 runId, address account) external view returns (uint256) {
        Account storage a = _accounts[runId][account];
        return uint256(a.staked) + a.unbonding;
    }

    /// @inheritdoc IStakeManager
    function evidenceUsed(bytes32 evidenceHash) external view returns (bool) {
        return _evidenceUsed[evidenceHash];
    }

    /// @inheritdoc IStakeManager
    function totals() external view returns (uint256 totalStaked, uint256 totalUnbonding) {
        return (_totalStaked, _totalUnbonding);
    }

    /// @inheritdoc IStakeManager
    function runManager() external view returns (address) {
        return _runManager;
    }

    /// @inheritdoc IStakeManager
    function disputeManager() external view returns (address) {
        return _disputeManager;
    }
}
