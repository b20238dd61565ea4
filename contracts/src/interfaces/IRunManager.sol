// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IRunManager
/// @notice Runs, their bounded parameters, membership (miners per stage, validators), the
/// block-based round clock, commitments, seeds, attestations, finalization and claims.
interface IRunManager {
    /// @notice What a run is registered with (immutable after createRun).
    /// @param modelSpecHash keccak256 of the canonical ModelSpec JSON
    /// @param dataSpecHash keccak256 of the canonical DataSpec JSON
    /// @param trainSpecHash keccak256 of the canonical TrainSpec JSON
    /// @param dataRoot SHA-256 of the corpus (DataSpec's dataRoot)
    /// @param initialCheckpointHash hash of the round-0 base (per-stage hashes, hashed together)
    /// @param stageCount number of pipeline stages S (1..64)
    /// @param maxStepsPerRound inner steps per round K: a commitment's stepCount is at most this
    /// @param startBlock first block of round 0 (>= the block of createRun)
    struct RunSpec {
        bytes32 modelSpecHash;
        bytes32 dataSpecHash;
        bytes32 trainSpecHash;
        bytes32 dataRoot;
        bytes32 initialCheckpointHash;
        uint256 stageCount;
        uint256 maxStepsPerRound;
        uint256 startBlock;
    }

    /// @notice The run's bounded parameters (DESIGN §2). Bounds are in RunParams.sol.
    struct Params {
        uint256 minMinerStake;
        uint256 minValidatorStake;
        uint256 sampleRateBps;
        uint256 slashBps;
        uint256 challengeBond;
        uint256 jurorCount;
        uint256 jurorBond;
        uint256 commitBlocks;
        uint256 checkBlocks;
        uint256 voteBlocks;
        uint256 sharesPerRound;
        uint256 validatorShareBps;
        uint256 unbondingBlocks;
    }

    /// @notice The fields of a miner's commitment; only their hash is stored.
    struct Commitment {
        bytes32 root;
        uint256 stepCount;
        bytes32 deltaHash;
        bytes32 baseHash;
    }

    /// @notice The block schedule of one round (all bounds inclusive).
    /// @param start first block of the round (commits from here)
    /// @param commitDeadline last block that may include a commit
    /// @param seedBlock commitDeadline + 1: its hash seeds the round's sampling
    /// @param checkEnd last block for attest and jury challenges
    /// @param voteCommitEnd last block for juror vote commitments
    /// @param voteEnd last block for juror reveals; finalize and resolve from voteEnd + 1
    struct RoundClock {
        uint256 round;
        uint256 start;
        uint256 commitDeadline;
        uint256 seedBlock;
        uint256 checkEnd;
        uint256 voteCommitEnd;
        uint256 voteEnd;
    }

    /// @notice Run status and wiring.
    struct RunInfo {
        address shares;
        address governance;
        address creator;
        uint256 stageCount;
        uint256 maxStepsPerRound;
        bool paused;
        bool halted;
        uint256 haltedFromRound;
        uint256 paramsVersions;
    }

    /// @notice Totals of one round.
    struct RoundInfo {
        bytes32 seed;
        uint256 acceptedSteps;
        uint256 attesters;
        uint256 openDisputes;
        bool finalized;
        uint256 sharesPerRound;
        uint256 validatorShareBps;
    }

    /// @notice An account's role in a run. role: 0 none, 1 miner, 2 validator. The role is held in
    /// rounds fromRound <= r < untilRound (untilRound = type(uint32).max while active).
    struct Member {
        uint256 role;
        uint256 stage;
        uint256 fromRound;
        uint256 untilRound;
        string endpoint;
    }

    /// @notice A miner's commitment as stored: presence, counted steps and flags.
    struct CommitmentInfo {
        bool committed;
        uint256 stage;
        uint256 stepCount;
        bool convicted;
        bool claimed;
    }

    /// @notice A validator's attestation.
    struct AttestationInfo {
        bytes32 receiptsRoot;
        uint256 checks;
        bool attested;
        bool claimed;
    }

    event DisputeManagerSet(address indexed disputeManager);
    event RunCreated(
        uint256 indexed runId,
        address indexed creator,
        address shares,
        address governance,
        bytes32 modelSpecHash,
        bytes32 dataSpecHash,
        bytes32 trainSpecHash,
        bytes32 dataRoot,
        bytes32 initialCheckpointHash,
        uint256 stageCount,
        uint256 maxStepsPerRound,
        uint256 startBlock
    );
    /// @notice New parameters take effect from round `fromRound` (read them with paramsAt).
    event ParamsSet(uint256 indexed runId, uint256 fromRound, uint256 anchorBlock, uint256 version);
    event RunPaused(uint256 indexed runId);
    event RunResumed(uint256 indexed runId);
    /// @notice The run is halted for good: rounds >= haltedFromRound get no commits, seeds or finalization.
    event RunHalted(uint256 indexed runId, uint256 haltedFromRound);
    event MinerJoined(uint256 indexed runId, address indexed miner, uint256 stage, uint256 fromRound, string endpoint);
    event MinerLeft(uint256 indexed runId, address indexed miner, uint256 stage, uint256 fromRound);
    event ValidatorRegistered(uint256 indexed runId, address indexed validator, uint256 fromRound, string endpoint);
    event ValidatorDeregistered(uint256 indexed runId, address indexed validator, uint256 fromRound);
    event EndpointSet(uint256 indexed runId, address indexed account, string endpoint);
    event Committed(
        uint256 indexed runId,
        uint256 indexed round,
        address indexed miner,
        bytes32 root,
        uint256 stepCount,
        bytes32 deltaHash,
        bytes32 baseHash
    );
    event SeedDrawn(uint256 indexed runId, uint256 indexed round, bytes32 seed, uint256 sourceBlock);
    event Attested(
        uint256 indexed runId, uint256 indexed round, address indexed validator, bytes32 receiptsRoot, uint256 checks
    );
    event RoundFinalized(uint256 indexed runId, uint256 indexed round, uint256 acceptedSteps, uint256 attesters);
    event Claimed(
        uint256 indexed runId, uint256 indexed round, address indexed account, uint256 minerAmount, uint256 validatorAmount
    );
    /// @notice The miner's commitment in `round` was convicted: its steps left the round's total
    /// and the miner lost its role from round `ejectedFromRound`.
    event CommitmentConvicted(
        uint256 indexed runId, uint256 indexed round, address indexed miner, uint256 stepCount, uint256 ejectedFromRound
    );
    event OpenDisputesChanged(uint256 indexed runId, uint256 indexed round, uint256 openDisputes);

    error RunManagerAlreadyInitialized();
    error RunManagerNotInitializer(address caller);
    error RunManagerZeroAddress();
    error RunManagerUnknownRun(uint256 runId);
    error RunManagerNotGovernance(uint256 runId, address caller);
    error RunManagerNotDisputeManager(address caller);
    error RunManagerParamOutOfBounds(string param, uint256 value, uint256 min, uint256 max);
    error RunManagerJurorCountEven(uint256 jurorCount);
    error RunManagerInvalidSpec(string field, uint256 value);
    error RunManagerSharesNotMintable(address shares);
    error RunManagerSharesInUse(address shares);
    error RunManagerPaused(uint256 runId);
    error RunManagerNotPaused(uint256 runId);
    error RunManagerHalted(uint256 runId);
    error RunManagerRoundHalted(uint256 runId, uint256 round);
    error RunManagerInvalidStage(uint256 runId, uint256 stage);
    error RunManagerAlreadyMember(uint256 runId, address account);
    error RunManagerNotMiner(uint256 runId, address account);
    error RunManagerNotValidator(uint256 runId, address account);
    error RunManagerNotMember(uint256 runId, address account);
    error RunManagerInsufficientStake(uint256 runId, address account, uint256 staked, uint256 required);
    error RunManagerNotMinerInRound(uint256 runId, uint256 round, address account);
    error RunManagerNotValidatorInRound(uint256 runId, uint256 round, address account);
    error RunManagerCommitWindowNotOpen(uint256 runId, uint256 round, uint256 start);
    error RunManagerCommitWindowClosed(uint256 runId, uint256 round, uint256 commitDeadline);
    error RunManagerInvalidStepCount(uint256 stepCount, uint256 maxStepsPerRound);
    error RunManagerAlreadyCommitted(uint256 runId, uint256 round, address miner);
    error RunManagerNoCommitment(uint256 runId, uint256 round, address miner);
    error RunManagerSeedNotReady(uint256 runId, uint256 round, uint256 readyBlock);
    error RunManagerSeedAlreadyDrawn(uint256 runId, uint256 round);
    error RunManagerSeedExpired(uint256 runId, uint256 round, uint256 lastBlock);
    error RunManagerSeedNotDrawn(uint256 runId, uint256 round);
    error RunManagerCheckWindowClosed(uint256 runId, uint256 round, uint256 checkEnd);
    error RunManagerAlreadyAttested(uint256 runId, uint256 round, address validator);
    error RunManagerRoundNotOver(uint256 runId, uint256 round, uint256 voteEnd);
    error RunManagerDisputesOpen(uint256 runId, uint256 round, uint256 openDisputes);
    error RunManagerRoundFinalized(uint256 runId, uint256 round);
    error RunManagerRoundNotFinalized(uint256 runId, uint256 round);
    error RunManagerAlreadyClaimed(uint256 runId, uint256 round, address account);
    error RunManagerCommitmentConvicted(uint256 runId, uint256 round, address miner);
    error RunManagerNothingToClaim(uint256 runId, uint256 round, address account);
    error RunManagerNoOpenDispute(uint256 runId, uint256 round);
    error RunManagerIndexOutOfRange(uint256 index, uint256 length);
    error RunManagerAvailabilityTooLong(uint256 words, uint256 max);

    // ---- wiring and runs ----

    /// @notice Deployer only, once: the DisputeManager allowed to convict and count disputes.
    function setDisputeManager(address disputeManager_) external;

    /// @notice Registers a run. `shares` must name this contract as its minter and serve no other run;
    /// `governance` (the run's TimelockController) alone may change parameters, pause, resume and halt.
    /// @return runId the new run's id (a counter starting at 1)
    function createRun(RunSpec calldata spec, Params calldata params, address shares, address governance)
        external
        returns (uint256 runId);

    /// @notice Governance only: new bounded parameters, effective from the next round (the clock is
    /// re-anchored at that round's start, so past rounds keep their numbering and windows).
    function setParams(uint256 runId, Params calldata params) external;

    /// @notice Governance only: stops new commits and joins until resume.
    function pause(uint256 runId) external;

    /// @notice Governance only: lifts a pause.
    function resume(uint256 runId) external;

    /// @notice Governance only, permanent: no commits, seeds or finalization for rounds from the
    /// returned round on; claims for finalized rounds, disputes and withdrawals keep working.
    function halt(uint256 runId) external;

    // ---- membership ----

    /// @notice Joins stage `stage` as a miner from the next round; needs active stake >= minMinerStake,
    /// which is then kept from unbonding while the role lasts.
    function joinAsMiner(uint256 runId, uint256 stage, string calldata endpoint) external;

    /// @notice Leaves the miner role from the next round and releases the stake requirement.
    function leaveAsMiner(uint256 runId) external;

    /// @notice Registers as a validator from the next round; needs active stake >= minValidatorStake.
    function registerValidator(uint256 runId, string calldata endpoint) external;

    /// @notice Leaves the validator set from the next round and releases the stake requirement.
    function deregisterValidator(uint256 runId) external;

    /// @notice Updates the caller's endpoint (miner or validator).
    function setEndpoint(uint256 runId, string calldata endpoint) external;

    // ---- rounds ----

    /// @notice A miner commits its round: Merkle root of its step leaves, step count, hash of its
    /// pseudo-gradient and of the base checkpoint. Once per round, in the round's commit window.
    function commit(uint256 runId, uint256 round, bytes32 root, uint256 stepCount, bytes32 deltaHash, bytes32 baseHash)
        external;

    /// @notice Fixes the round's seed once its seed block is available (anyone).
    /// seed = keccak256(abi.encodePacked(blockhash(seedBlock), runId, round)); past blockhash's
    /// 256-block reach, blockhash(block.number - 1) replaces blockhash(seedBlock).
    function drawSeed(uint256 runId, uint256 round) external returns (bytes32 seed);

    /// @notice A validator of the round's snapshot reports its checks (once, seed drawn, by checkEnd)
    /// and which miners' committed updates it fetched and verified: `available` is a bitmap over
    /// the round's miners in round order (stage 0's `minersAt` list, then stage 1's, ...), bit i of
    /// word i / 256 for miner i; at most MAX_AVAILABILITY_WORDS words. A miner is available when a
    /// strict majority of the round's attesting validators set its bit (DESIGN.md §7); nodes derive
    /// that from `availabilityOf`, the chain does not count it.
    function attest(uint256 runId, uint256 round, bytes32 receiptsRoot, uint256 checks, uint256[] calldata available)
        external;

    /// @notice Closes a round (anyone) after voteEnd when no dispute of the round is open. O(1).
    function finalize(uint256 runId, uint256 round) external;

    /// @notice Mints the caller's shares for a finalized round (miner and/or validator part).
    function claim(uint256 runId, uint256 round) external returns (uint256 amount);

    /// @notice claim for several finalized rounds with a single mint.
    function claimMany(uint256 runId, uint256[] calldata rounds) external returns (uint256 amount);

    // ---- DisputeManager hooks ----

    /// @notice DisputeManager only: the miner's commitment in `round` is fraudulent. Removes its steps
    /// from the round total (once), bars it from claiming, and ends the miner's role.
    /// @return first false when the commitment was already convicted (nothing changes then)
    function convict(uint256 runId, uint256 round, address miner) external returns (bool first);

    /// @notice DisputeManager only: a jury dispute about `round` opened.
    function disputeOpened(uint256 runId, uint256 round) external;

    /// @notice DisputeManager only: a jury dispute about `round` was resolved.
    function disputeClosed(uint256 runId, uint256 round) external;

    // ---- views ----

    function stakeManager() external view returns (address);
    function disputeManager() external view returns (address);
    function runCount() external view returns (uint256);
    function runInfo(uint256 runId) external view returns (RunInfo memory);
    function runSpec(uint256 runId) external view returns (RunSpec memory);
    /// @notice The parameters in force in `round`.
    function paramsAt(uint256 runId, uint256 round) external view returns (Params memory);
    /// @notice The newest parameters (in force from the next round if a change is pending).
    function latestParams(uint256 runId) external view returns (Params memory);
    /// @notice The round the current block belongs to (0 before the start).
    function currentRound(uint256 runId) external view returns (uint256);
    /// @notice The round from which a join, leave or parameter change made now takes effect.
    function nextRound(uint256 runId) external view returns (uint256);
    function clockOf(uint256 runId, uint256 round) external view returns (RoundClock memory);
    function roundInfo(uint256 runId, uint256 round) external view returns (RoundInfo memory);
    function seedOf(uint256 runId, uint256 round) external view returns (bytes32);
    function memberOf(uint256 runId, address account) external view returns (Member memory);
    function isMinerIn(uint256 runId, uint256 round, address account) external view returns (bool);
    function isValidatorIn(uint256 runId, uint256 round, address account) external view returns (bool);
    function minerCountAt(uint256 runId, uint256 stage, uint256 round) external view returns (uint256);
    function minersAt(uint256 runId, uint256 stage, uint256 round) external view returns (address[] memory);
    function validatorCountAt(uint256 runId, uint256 round) external view returns (uint256);
    function validatorAt(uint256 runId, uint256 round, uint256 index) external view returns (address);
    function validatorsAt(uint256 runId, uint256 round) external view returns (address[] memory);
    function commitmentOf(uint256 runId, uint256 round, address miner)
        external
        view
        returns (CommitmentInfo memory);
    /// @notice Whether `c` is exactly what `miner` committed in `round`.
    function commitmentMatches(uint256 runId, uint256 round, address miner, Commitment calldata c)
        external
        view
        returns (bool);
    function attestationOf(uint256 runId, uint256 round, address validator)
        external
        view
        returns (AttestationInfo memory);
    /// @notice The availability bitmap `validator` attested for `round` (empty if it did not attest).
    function availabilityOf(uint256 runId, uint256 round, address validator) external view returns (uint256[] memory);
    /// @notice What claim(runId, round) would mint to `account` now (0 if nothing).
    function claimable(uint256 runId, uint256 round, address account) external view returns (uint256);
}
