// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IStakeManager
/// @notice Native-ETH stake per (run, account): deposit, unbond (still slashable), withdraw by
/// pull, slashing with evidence de-duplication, and locks held while a dispute is open.
interface IStakeManager {
    /// @notice One account's stake in one run.
    /// @param staked active stake (counts towards the run's minimum stake)
    /// @param unbonding stake queued to leave; still slashable until withdrawn
    /// @param releaseBlock first block at which `unbonding` may be withdrawn
    /// @param locks number of open disputes that involve the account
    /// @param required stake the account must keep active while it holds a role in the run
    /// @param deposited total ever deposited (for audits)
    /// @param slashed total ever slashed
    struct StakeAccount {
        uint256 staked;
        uint256 unbonding;
        uint256 releaseBlock;
        uint256 locks;
        uint256 required;
        uint256 deposited;
        uint256 slashed;
    }

    /// @notice The managers were wired (once).
    event ManagersSet(address indexed runManager, address indexed disputeManager);
    /// @notice `account` added `amount` of stake to run `runId`.
    event Staked(uint256 indexed runId, address indexed account, uint256 amount, uint256 staked);
    /// @notice `amount` moved from active stake into the unbonding queue.
    event UnbondRequested(
        uint256 indexed runId, address indexed account, uint256 amount, uint256 unbonding, uint256 releaseBlock
    );
    /// @notice Unbonded stake left the contract.
    event Withdrawn(uint256 indexed runId, address indexed account, uint256 amount);
    /// @notice The stake `account` must keep while it holds a role changed.
    event RequirementSet(uint256 indexed runId, address indexed account, uint256 required);
    /// @notice A dispute involving `account` opened (`locks` is the new count).
    event Locked(uint256 indexed runId, address indexed account, uint256 locks);
    /// @notice A dispute involving `account` closed.
    event Unlocked(uint256 indexed runId, address indexed account, uint256 locks);
    /// @notice `amount` of `account`'s stake was slashed for the evidence `evidenceHash` and sent to
    /// the DisputeManager for distribution.
    event Slashed(uint256 indexed runId, address indexed account, bytes32 indexed evidenceHash, uint256 amount);

    error StakeManagerZeroAmount();
    error StakeManagerAlreadyInitialized();
    error StakeManagerNotInitializer(address caller);
    error StakeManagerZeroAddress();
    error StakeManagerUnknownRun(uint256 runId);
    error StakeManagerNotRunManager(address caller);
    error StakeManagerNotDisputeManager(address caller);
    error StakeManagerInsufficientStake(uint256 runId, address account, uint256 available, uint256 requested);
    error StakeManagerNothingToWithdraw(uint256 runId, address account);
    error StakeManagerUnbondingNotDue(uint256 runId, address account, uint256 releaseBlock);
    error StakeManagerAccountLocked(uint256 runId, address account, uint256 locks);
    error StakeManagerNotLocked(uint256 runId, address account);
    error StakeManagerEvidenceUsed(bytes32 evidenceHash);

    /// @notice Deployer only, once: wires the RunManager (sets stake requirements) and the
    /// DisputeManager (locks and slashes).
    function setManagers(address runManager_, address disputeManager_) external;

    /// @notice Adds `msg.value` to the caller's active stake in run `runId`.
    function stake(uint256 runId) external payable;

    /// @notice Moves `amount` of active stake into the unbonding queue; it stays slashable and can be
    /// withdrawn after the run's `unbondingBlocks` (the longer of the current and the pending value). A new
    /// request adds to the queue and restarts its timer.
    function requestUnbond(uint256 runId, uint256 amount) external;

    /// @notice Sends the caller its whole unbonded stake once `releaseBlock` is reached and no
    /// dispute involving it is open.
    function withdraw(uint256 runId) external;

    /// @notice RunManager only: stake `account` must keep active while it holds a role.
    function setRequirement(uint256 runId, address account, uint256 required) external;

    /// @notice DisputeManager only: blocks withdrawals of `account` until the matching unlock.
    function lock(uint256 runId, address account) external;

    /// @notice DisputeManager only: releases one lock of `account`.
    function unlock(uint256 runId, address account) external;

    /// @notice DisputeManager only: slashes up to `amount` (active stake first, then unbonding) for
    /// evidence `evidenceHash` (usable once) and sends the slashed ETH to the DisputeManager.
    /// @return slashed the amount actually slashed (capped at what the account still holds)
    function slash(uint256 runId, address account, uint256 amount, bytes32 evidenceHash)
        external
        returns (uint256 slashed);

    /// @notice Stake record of `account` in run `runId`.
    function accountOf(uint256 runId, address account) external view returns (StakeAccount memory);

    /// @notice Active stake of `account` in run `runId`.
    function stakeOf(uint256 runId, address account) external view returns (uint256);

    /// @notice Active plus unbonding stake (what a slash can reach).
    function slashableOf(uint256 runId, address account) external view returns (uint256);

    /// @notice Whether `evidenceHash` has already been used to slash.
    function evidenceUsed(bytes32 evidenceHash) external view returns (bool);

    /// @notice Sums over all runs and accounts: active stake and unbonding stake. The contract's
    /// ETH balance always equals their sum.
    function totals() external view returns (uint256 totalStaked, uint256 totalUnbonding);

    /// @notice The RunManager allowed to set requirements.
    function runManager() external view returns (address);

    /// @notice The DisputeManager allowed to lock and slash.
    function disputeManager() external view returns (address);
}
