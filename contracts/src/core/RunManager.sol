// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IRunManager} from "../interfaces/IRunManager.sol";
import {IStakeManager} from "../interfaces/IStakeManager.sol";
import {IModelShares} from "../interfaces/IModelShares.sol";
import {RunParams} from "../libraries/RunParams.sol";
import {RoundSet} from "../libraries/RoundSet.sol";

/// @title RunManager
/// @notice Runs, bounded parameters (owned by each run's timelock), membership snapshots per round,
/// the block-based round clock, commitments, seeds, attestations, finalization and share claims.
/// @dev Every function is O(1) in the number of miners, validators and rounds (the array views
/// excepted). A commitment is one storage word: its fields' hash (high 216 bits), the miner's stage,
/// claimed/convicted flags and the step count; the fields themselves are in the Committed event.
contract RunManager is IRunManager {
    using RoundSet for RoundSet.Set;

    uint256 private constant ROLE_NONE = 0;
    uint256 private constant ROLE_MINER = 1;
    uint256 private constant ROLE_VALIDATOR = 2;
    uint32 private constant UNTIL_FOREVER = type(uint32).max;
    uint256 private constant MAX_STAGES = 64;
    /// @notice Words of an attested availability bitmap: 2048 miners a round.
    uint256 public constant MAX_AVAILABILITY_WORDS = 8;

    uint8 private constant RUN_PAUSED = 1;
    uint8 private constant RUN_HALTED = 2;

    uint8 private constant ROUND_INITIALIZED = 1;
    uint8 private constant ROUND_FINALIZED = 2;

    // work word layout, one word per (run, round, account): a miner's commitment or a validator's
    // attestation (an account holds one role in a round)
    uint256 private constant STEPS_MASK = 0xFFFFFFFF; // bits 0-31: committed step count (miner)
    uint256 private constant CONVICTED = 1 << 32;
    uint256 private constant CLAIMED = 1 << 33;
    uint256 private constant ATTESTED = 1 << 34;
    uint256 private constant STAGE_SHIFT = 35; // bits 35-40: the miner's stage
    uint256 private constant STAGE_MASK = 0x3F;
    uint256 private constant HIGH_SHIFT = 48; // bits 48-255: commitment hash (top 208 bits) or checks
    uint256 private constant HASH_MASK = ~uint256(0) << HIGH_SHIFT;

    /// @dev Read by every commit: status and a mirror of the newest parameter version's clock.
    struct RunCore {
        uint32 clockFrom;
        uint48 clockAnchor;
        uint24 commitBlocks;
        uint24 checkBlocks;
        uint24 voteBlocks;
        uint16 versions;
        uint8 flags;
        uint8 stageCount;
        uint32 maxSteps;
        uint32 haltedFrom;
    }

    struct RunMeta {
        address shares;
        address governance;
        address creator;
        RunSpec spec;
    }

    struct RoundData {
        uint64 acceptedSteps;
        uint32 attesters;
        uint32 openDisputes;
        uint8 flags;
        uint96 sharesPerRound;
        uint16 validatorShareBps;
    }

    struct MemberData {
        uint8 role;
        uint8 stage;
        uint32 fromRound;
        uint32 untilRound;
    }

    IStakeManager private immutable _stakeManager;
    address private immutable _initializer;
    address private _disputeManager;
    uint256 private _runCount;

    mapping(uint256 runId => RunCore) private _core;
    mapping(uint256 runId => RunMeta) private _meta;
    mapping(uint256 runId => mapping(uint256 version => RunParams.Stored)) private _versions;
    mapping(uint256 runId => mapping(uint256 round => RoundData)) private _rounds;
    mapping(uint256 runId => mapping(uint256 round => bytes32)) private _seeds;
    mapping(uint256 runId => mapping(uint256 round => mapping(address account => uint256))) private _work;
    mapping(uint256 runId => mapping(uint256 round => mapping(address validator => bytes32))) private _receipts;
    mapping(uint256 runId => mapping(uint256 round => mapping(address validator => uint256[]))) private _available;
    mapping(uint256 runId => mapping(address account => MemberData)) private _members;
    mapping(uint256 runId => mapping(address account => string)) private _endpoints;
    mapping(uint256 runId => mapping(uint256 stage => RoundSet.Set)) private _miners;
    mapping(uint256 runId => RoundSet.Set) private _validators;
    mapping(address shares => bool) private _sharesUsed;

    modifier onlyGovernance(uint256 runId) {
        _requireRun(runId);
        if (msg.sender != _meta[runId].governance) revert RunManagerNotGovernance(runId, msg.sender);
        _;
    }

    modifier onlyDisputeManager() {
        if (msg.sender != _disputeManager) revert RunManagerNotDisputeManager(msg.sender);
        _;
    }

    /// @param stakeManager_ the StakeManager holding the stakes of every run
    constructor(address stakeManager_) {
        if (stakeManager_ == address(0)) revert RunManagerZeroAddress();
        _stakeManager = IStakeManager(stakeManager_);
        _initializer = msg.sender;
    }

    // ------------------------------------------------------------------ wiring and runs

    /// @inheritdoc IRunManager
    function setDisputeManager(address disputeManager_) external {
        if (msg.sender != _initializer) revert RunManagerNotInitializer(msg.sender);
        if (_disputeManager != address(0)) revert RunManagerAlreadyInitialized();
        if (disputeManager_ == address(0)) revert RunManagerZeroAddress();
        _disputeManager = disputeManager_;
        emit DisputeManagerSet(disputeManager_);
    }

    /// @inheritdoc IRunManager
    function createRun(RunSpec calldata spec, Params calldata params, address shares, address governance)
        external
        returns (uint256 runId)
    {
        if (spec.stageCount == 0 || spec.stageCount > MAX_STAGES) {
            revert RunManagerInvalidSpec("stageCount", spec.stageCount);
        }
        if (spec.maxStepsPerRound == 0 || spec.maxStepsPerRound > type(uint32).max) {
            revert RunManagerInvalidSpec("maxStepsPerRound", spec.maxStepsPerRound);
        }
        if (spec.startBlock < block.number || spec.startBlock > type(uint48).max / 2) {
            revert RunManagerInvalidSpec("startBlock", spec.startBlock);
        }
        RunParams.validate(params);
        if (shares == address(0) || governance == address(0)) revert RunManagerZeroAddress();
        if (IModelShares(shares).minter() != address(this)) revert RunManagerSharesNotMintable(shares);
        if (_sharesUsed[shares]) revert RunManagerSharesInUse(shares);
        _sharesUsed[shares] = true;

        runId = ++_runCount;
        _meta[runId] = RunMeta({shares: shares, governance: governance, creator: msg.sender, spec: spec});
        RunParams.Stored memory stored = RunParams.pack(params, 0, spec.startBlock);
        _versions[runId][0] = stored;
        _core[runId] = RunCore({
            clockFrom: 0,
            clockAnchor: uint48(spec.startBlock),
            commitBlocks: stored.commitBlocks,
            checkBlocks: stored.checkBlocks,
            voteBlocks: stored.voteBlocks,
            versions: 1,
            flags: 0,
            stageCount: uint8(spec.stageCount),
            maxSteps: uint32(spec.maxStepsPerRound),
            haltedFrom: 0
        });
        _rounds[runId][0].flags = ROUND_INITIALIZED;
        _emitRunCreated(runId, spec, shares, governance);
        emit ParamsSet(runId, 0, spec.startBlock, 0);
    }

    /// @inheritdoc IRunManager
    function setParams(uint256 runId, Params calldata params) external onlyGovernance(runId) {
        RunParams.validate(params);
        RunCore storage core = _core[runId];
        (bool started, uint256 current) = _currentRound(runId, core);
        uint256 fromRound = started ? current + 1 : 0;
        uint256 anchor;
        if (started) {
            RunParams.Stored storage v = _versions[runId][_versionIndex(runId, core, current)];
            anchor = v.anchorBlock + (fromRound - v.fromRound) * _roundBlocks(v);
        } else {
            anchor = core.clockAnchor;
        }
        uint256 index = core.versions - 1;
        if (_versions[runId][index].fromRound != fromRound) {
            index += 1;
            core.versions = uint16(index + 1);
        }
        RunParams.Stored memory stored = RunParams.pack(params, fromRound, anchor);
        _versions[runId][index] = stored;
        core.clockFrom = uint32(fromRound);
        core.clockAnchor = uint48(anchor);
        core.commitBlocks = stored.commitBlocks;
        core.checkBlocks = stored.checkBlocks;
        core.voteBlocks = stored.voteBlocks;
        emit ParamsSet(runId, fromRound, anchor, index);
    }

    /// @inheritdoc IRunManager
    function pause(uint256 runId) external onlyGovernance(runId) {
        RunCore storage core = _core[runId];
        if (core.flags & RUN_PAUSED != 0) revert RunManagerPaused(runId);
        core.flags |= RUN_PAUSED;
        emit RunPaused(runId);
    }

    /// @inheritdoc IRunManager
    function resume(uint256 runId) external onlyGovernance(runId) {
        RunCore storage core = _core[runId];
        if (core.flags & RUN_PAUSED == 0) revert RunManagerNotPaused(runId);
        core.flags &= ~RUN_PAUSED;
        emit RunResumed(runId);
    }

    /// @inheritdoc IRunManager
    function halt(uint256 runId) external onlyGovernance(runId) {
        RunCore storage core = _core[runId];
        if (core.flags & RUN_HALTED != 0) revert RunManagerHalted(runId);
        (bool started, uint256 current) = _currentRound(runId, core);
        uint256 haltedFrom = 0;
        if (started) {
            // a round whose commit window already closed may still be checked, finalized and claimed
            haltedFrom = block.number > _clock(runId, current).commitDeadline ? current + 1 : current;
        }
        core.flags |= RUN_HALTED;
        core.haltedFrom = uint32(haltedFrom);
        emit RunHalted(runId, haltedFrom);
    }

    // ------------------------------------------------------------------ membership

    /// @inheritdoc IRunManager
    function joinAsMiner(uint256 runId, uint256 stage, string calldata endpoint) external {
        RunCore storage core = _requireOpen(runId);
        if (stage >= core.stageCount) revert RunManagerInvalidStage(runId, stage);
        uint256 required = _versions[runId][core.versions - 1].minMinerStake;
        uint256 fromRound = _join(runId, core, required);
        _members[runId][msg.sender] = MemberData({
            role: uint8(ROLE_MINER),
            stage: uint8(stage),
            fromRound: uint32(fromRound),
            untilRound: UNTIL_FOREVER
        });
        _miners[runId][stage].add(msg.sender, fromRound);
        _endpoints[runId][msg.sender] = endpoint;
        emit MinerJoined(runId, msg.sender, stage, fromRound, endpoint);
        _stakeManager.setRequirement(runId, msg.sender, required);
    }

    /// @inheritdoc IRunManager
    function leaveAsMiner(uint256 runId) external {
        _requireRun(runId);
        MemberData storage m = _members[runId][msg.sender];
        if (m.role != ROLE_MINER || m.untilRound != UNTIL_FOREVER) revert RunManagerNotMiner(runId, msg.sender);
        uint256 fromRound = _nextRound(runId, _core[runId]);
        m.untilRound = uint32(fromRound);
        uint256 stage = m.stage;
        _miners[runId][stage].remove(msg.sender, fromRound);
        emit MinerLeft(runId, msg.sender, stage, fromRound);
        _stakeManager.setRequirement(runId, msg.sender, 0);
    }

    /// @inheritdoc IRunManager
    function registerValidator(uint256 runId, string calldata endpoint) external {
        RunCore storage core = _requireOpen(runId);
        uint256 required = _versions[runId][core.versions - 1].minValidatorStake;
        uint256 fromRound = _join(runId, core, required);
        _members[runId][msg.sender] = MemberData({
            role: uint8(ROLE_VALIDATOR),
            stage: 0,
            fromRound: uint32(fromRound),
            untilRound: UNTIL_FOREVER
        });
        _validators[runId].add(msg.sender, fromRound);
        _endpoints[runId][msg.sender] = endpoint;
        emit ValidatorRegistered(runId, msg.sender, fromRound, endpoint);
        _stakeManager.setRequirement(runId, msg.sender, required);
    }

    /// @inheritdoc IRunManager
    function deregisterValidator(uint256 runId) external {
        _requireRun(runId);
        MemberData storage m = _members[runId][msg.sender];
        if (m.role != ROLE_VALIDATOR || m.untilRound != UNTIL_FOREVER) {
            revert RunManagerNotValidator(runId, msg.sender);
        }
        uint256 fromRound = _nextRound(runId, _core[runId]);
        m.untilRound = uint32(fromRound);
        _validators[runId].remove(msg.sender, fromRound);
        emit ValidatorDeregistered(runId, msg.sender, fromRound);
        _stakeManager.setRequirement(runId, msg.sender, 0);
    }

    /// @inheritdoc IRunManager
    function setEndpoint(uint256 runId, string calldata endpoint) external {
        _requireRun(runId);
        MemberData storage m = _members[runId][msg.sender];
        if (m.role == ROLE_NONE || m.untilRound != UNTIL_FOREVER) revert RunManagerNotMember(runId, msg.sender);
        _endpoints[runId][msg.sender] = endpoint;
        emit EndpointSet(runId, msg.sender, endpoint);
    }

    // ------------------------------------------------------------------ rounds

    /// @inheritdoc IRunManager
    function commit(uint256 runId, uint256 round, bytes32 root, uint256 stepCount, bytes32 deltaHash, bytes32 baseHash)
        external
    {
        _checkCommitWindow(runId, round, stepCount);
        // one read of the member word (MemberData: role bits 0-7, stage 8-15, fromRound 16-47,
        // untilRound 48-79) instead of a field-by-field copy
        MemberData storage memberRef = _members[runId][msg.sender];
        uint256 member;
        assembly ("memory-safe") {
            member := sload(memberRef.slot)
        }
        if (
            member & 0xFF != ROLE_MINER || round < (member >> 16) & 0xFFFFFFFF
                || round >= (member >> 48) & 0xFFFFFFFF
        ) {
            revert RunManagerNotMinerInRound(runId, round, msg.sender);
        }
        mapping(address => uint256) storage roundWork = _work[runId][round];
        if (roundWork[msg.sender] != 0) revert RunManagerAlreadyCommitted(runId, round, msg.sender);
        roundWork[msg.sender] = (_commitmentHash(root, stepCount, deltaHash, baseHash) & HASH_MASK)
            | (((member >> 8) & 0xFF) << STAGE_SHIFT) | stepCount;
        unchecked {
            // at most 2^32 - 1 steps per commitment: the uint64 total cannot overflow in practice
            _rounds[runId][round].acceptedSteps += uint64(stepCount);
        }
        emit Committed(runId, round, msg.sender, root, stepCount, deltaHash, baseHash);
    }

    /// @inheritdoc IRunManager
    function drawSeed(uint256 runId, uint256 round) external returns (bytes32 seed) {
        RunCore storage core = _requireRun(runId);
        if (core.flags & RUN_HALTED != 0 && round >= core.haltedFrom) revert RunManagerRoundHalted(runId, round);
        RoundClock memory clock = _clock(runId, round);
        uint256 seedBlock = clock.seedBlock;
        if (block.number <= seedBlock) revert RunManagerSeedNotReady(runId, round, seedBlock + 1);
        if (_seeds[runId][round] != bytes32(0)) revert RunManagerSeedAlreadyDrawn(runId, round);
        // DESIGN §5 (v2): only the seed block's own hash, and only while it can still serve the
        // checks (by checkEnd) and is readable (256 blocks); otherwise the round stays unseeded —
        // unchecked, so it pays nobody — rather than take a hash the caller picks by choosing when
        uint256 lastBlock = Math.min(clock.checkEnd, seedBlock + 256);
        bytes32 blockHash = blockhash(seedBlock);
        if (block.number > lastBlock || blockHash == bytes32(0)) {
            revert RunManagerSeedExpired(runId, round, lastBlock);
        }
        uint256 sourceBlock = seedBlock;
        seed = keccak256(abi.encodePacked(blockHash, runId, round));
        _seeds[runId][round] = seed;
        // pre-initialise the next round's totals so its first commit writes a non-zero slot
        RoundData storage next = _rounds[runId][round + 1];
        if (next.flags & ROUND_INITIALIZED == 0) next.flags |= ROUND_INITIALIZED;
        emit SeedDrawn(runId, round, seed, sourceBlock);
    }

    /// @inheritdoc IRunManager
    function attest(uint256 runId, uint256 round, bytes32 receiptsRoot, uint256 checks, uint256[] calldata available)
        external
    {
        _requireRun(runId);
        if (available.length > MAX_AVAILABILITY_WORDS) {
            revert RunManagerAvailabilityTooLong(available.length, MAX_AVAILABILITY_WORDS);
        }
        if (!_holdsRole(runId, round, msg.sender, ROLE_VALIDATOR)) {
            revert RunManagerNotValidatorInRound(runId, round, msg.sender);
        }
        if (_seeds[runId][round] == bytes32(0)) revert RunManagerSeedNotDrawn(runId, round);
        uint256 checkEnd = _clock(runId, round).checkEnd;
        if (block.number > checkEnd) revert RunManagerCheckWindowClosed(runId, round, checkEnd);
        mapping(address => uint256) storage roundWork = _work[runId][round];
        if (roundWork[msg.sender] != 0) revert RunManagerAlreadyAttested(runId, round, msg.sender);
        roundWork[msg.sender] = (Math.min(checks, type(uint64).max) << HIGH_SHIFT) | ATTESTED;
        _receipts[runId][round][msg.sender] = receiptsRoot;
        if (available.length > 0) _available[runId][round][msg.sender] = available;
        _rounds[runId][round].attesters += 1;
        emit Attested(runId, round, msg.sender, receiptsRoot, checks);
    }

    /// @inheritdoc IRunManager
    function finalize(uint256 runId, uint256 round) external {
        RunCore storage core = _requireRun(runId);
        if (core.flags & RUN_HALTED != 0 && round >= core.haltedFrom) revert RunManagerRoundHalted(runId, round);
        uint256 voteEnd = _clock(runId, round).voteEnd;
        if (block.number <= voteEnd) revert RunManagerRoundNotOver(runId, round, voteEnd);
        RoundData storage rd = _rounds[runId][round];
        if (rd.flags & ROUND_FINALIZED != 0) revert RunManagerRoundFinalized(runId, round);
        if (rd.openDisputes != 0) revert RunManagerDisputesOpen(runId, round, rd.openDisputes);
        RunParams.Stored storage v = _versions[runId][_versionIndex(runId, core, round)];
        rd.flags |= ROUND_INITIALIZED | ROUND_FINALIZED;
        // a round whose seed was never drawn was never checked: it mints nothing (DESIGN §5)
        rd.sharesPerRound = _seeds[runId][round] == bytes32(0) ? 0 : uint96(v.sharesPerRound);
        rd.validatorShareBps = v.validatorShareBps;
        emit RoundFinalized(runId, round, rd.acceptedSteps, rd.attesters);
    }

    /// @inheritdoc IRunManager
    function claim(uint256 runId, uint256 round) external returns (uint256 amount) {
        address shares = _meta[runId].shares;
        if (shares == address(0)) revert RunManagerUnknownRun(runId);
        amount = _claimRound(runId, round, msg.sender);
        if (amount != 0) IModelShares(shares).mint(msg.sender, amount);
    }

    /// @inheritdoc IRunManager
    function claimMany(uint256 runId, uint256[] calldata rounds) external returns (uint256 amount) {
        address shares = _meta[runId].shares;
        if (shares == address(0)) revert RunManagerUnknownRun(runId);
        for (uint256 i = 0; i < rounds.length; ++i) {
            amount += _claimRound(runId, rounds[i], msg.sender);
        }
        if (amount != 0) IModelShares(shares).mint(msg.sender, amount);
    }

    // ------------------------------------------------------------------ DisputeManager hooks

    /// @inheritdoc IRunManager
    function convict(uint256 runId, uint256 round, address miner) external onlyDisputeManager returns (bool) {
        RunCore storage core = _requireRun(runId);
        RoundData storage rd = _rounds[runId][round];
        if (rd.flags & ROUND_FINALIZED != 0) revert RunManagerRoundFinalized(runId, round);
        uint256 word = _work[runId][round][miner];
        if (word & STEPS_MASK == 0) revert RunManagerNoCommitment(runId, round, miner);
        if (word & CONVICTED != 0) return false; // a commitment is convicted, and slashed, once
        _work[runId][round][miner] = word | CONVICTED;
        uint256 steps = word & STEPS_MASK;
        rd.acceptedSteps -= uint64(steps);

        uint256 ejectedFrom = type(uint32).max;
        MemberData storage m = _members[runId][miner];
        if (m.role == ROLE_MINER && m.untilRound == UNTIL_FOREVER) {
            (, uint256 current) = _currentRound(runId, core);
            ejectedFrom = Math.max(current, m.fromRound);
            m.untilRound = uint32(ejectedFrom);
            _miners[runId][m.stage].remove(miner, _nextRound(runId, core));
        }
        emit CommitmentConvicted(runId, round, miner, steps, ejectedFrom);
        if (ejectedFrom != type(uint32).max) {
            emit MinerLeft(runId, miner, m.stage, ejectedFrom);
            _stakeManager.setRequirement(runId, miner, 0);
        }
        return true;
    }

    /// @inheritdoc IRunManager
    function disputeOpened(uint256 runId, uint256 round) external onlyDisputeManager {
        RoundData storage rd = _rounds[runId][round];
        if (rd.flags & ROUND_FINALIZED != 0) revert RunManagerRoundFinalized(runId, round);
        uint256 open = ++rd.openDisputes;
        emit OpenDisputesChanged(runId, round, open);
    }

    /// @inheritdoc IRunManager
    function disputeClosed(uint256 runId, uint256 round) external onlyDisputeManager {
        RoundData storage rd = _rounds[runId][round];
        if (rd.openDisputes == 0) revert RunManagerNoOpenDispute(runId, round);
        uint256 open = --rd.openDisputes;
        emit OpenDisputesChanged(runId, round, open);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IRunManager
    function stakeManager() external view returns (address) {
        return address(_stakeManager);
    }

    /// @inheritdoc IRunManager
    function disputeManager() external view returns (address) {
        return _disputeManager;
    }

    /// @inheritdoc IRunManager
    function runCount() external view returns (uint256) {
        return _runCount;
    }

    /// @inheritdoc IRunManager
    function runInfo(uint256 runId) external view returns (RunInfo memory info) {
        RunCore storage core = _requireRun(runId);
        RunMeta storage meta = _meta[runId];
        info = RunInfo({
            shares: meta.shares,
            governance: meta.governance,
            creator: meta.creator,
            stageCount: core.stageCount,
            maxStepsPerRound: core.maxSteps,
            paused: core.flags & RUN_PAUSED != 0,
            halted: core.flags & RUN_HALTED != 0,
            haltedFromRound: core.haltedFrom,
            paramsVersions: core.versions
        });
    }

    /// @inheritdoc IRunManager
    function runSpec(uint256 runId) external view returns (RunSpec memory) {
        _requireRun(runId);
        return _meta[runId].spec;
    }

    /// @inheritdoc IRunManager
    function paramsAt(uint256 runId, uint256 round) external view returns (Params memory) {
        RunCore storage core = _requireRun(runId);
        return RunParams.unpack(_versions[runId][_versionIndex(runId, core, round)]);
    }

    /// @inheritdoc IRunManager
    function latestParams(uint256 runId) external view returns (Params memory) {
        RunCore storage core = _requireRun(runId);
        return RunParams.unpack(_versions[runId][core.versions - 1]);
    }

    /// @inheritdoc IRunManager
    function currentRound(uint256 runId) external view returns (uint256 round) {
        (, round) = _currentRound(runId, _requireRun(runId));
    }

    /// @inheritdoc IRunManager
    function nextRound(uint256 runId) external view returns (uint256) {
        return _nextRound(runId, _requireRun(runId));
    }

    /// @inheritdoc IRunManager
    function clockOf(uint256 runId, uint256 round) external view returns (RoundClock memory) {
        _requireRun(runId);
        return _clock(runId, round);
    }

    /// @inheritdoc IRunManager
    function roundInfo(uint256 runId, uint256 round) external view returns (RoundInfo memory) {
        RoundData storage rd = _rounds[runId][round];
        return RoundInfo({
            seed: _seeds[runId][round],
            acceptedSteps: rd.acceptedSteps,
            attesters: rd.attesters,
            openDisputes: rd.openDisputes,
            finalized: rd.flags & ROUND_FINALIZED != 0,
            sharesPerRound: rd.sharesPerRound,
            validatorShareBps: rd.validatorShareBps
        });
    }

    /// @inheritdoc IRunManager
    function seedOf(uint256 runId, uint256 round) external view returns (bytes32) {
        return _seeds[runId][round];
    }

    /// @inheritdoc IRunManager
    function memberOf(uint256 runId, address account) external view returns (Member memory) {
        MemberData storage m = _members[runId][account];
        return Member({
            role: m.role,
            stage: m.stage,
            fromRound: m.fromRound,
            untilRound: m.untilRound,
            endpoint: _endpoints[runId][account]
        });
    }

    /// @inheritdoc IRunManager
    function isMinerIn(uint256 runId, uint256 round, address account) external view returns (bool) {
        return _holdsRole(runId, round, account, ROLE_MINER);
    }

    /// @inheritdoc IRunManager
    function isValidatorIn(uint256 runId, uint256 round, address account) external view returns (bool) {
        return _holdsRole(runId, round, account, ROLE_VALIDATOR);
    }

    /// @inheritdoc IRunManager
    function minerCountAt(uint256 runId, uint256 stage, uint256 round) external view returns (uint256) {
        return _miners[runId][stage].sizeAt(round);
    }

    /// @inheritdoc IRunManager
    function minersAt(uint256 runId, uint256 stage, uint256 round) external view returns (address[] memory) {
        return _miners[runId][stage].membersAt(round);
    }

    /// @inheritdoc IRunManager
    function validatorCountAt(uint256 runId, uint256 round) external view returns (uint256) {
        return _validators[runId].sizeAt(round);
    }

    /// @inheritdoc IRunManager
    function validatorAt(uint256 runId, uint256 round, uint256 index) external view returns (address) {
        RoundSet.Set storage set = _validators[runId];
        uint256 n = set.sizeAt(round);
        if (index >= n) revert RunManagerIndexOutOfRange(index, n);
        return set.at(round, index);
    }

    /// @inheritdoc IRunManager
    function validatorsAt(uint256 runId, uint256 round) external view returns (address[] memory) {
        return _validators[runId].membersAt(round);
    }

    /// @inheritdoc IRunManager
    function commitmentOf(uint256 runId, uint256 round, address miner)
        external
        view
        returns (CommitmentInfo memory)
    {
        uint256 word = _work[runId][round][miner];
        return CommitmentInfo({
            committed: word & STEPS_MASK != 0,
            stage: (word >> STAGE_SHIFT) & STAGE_MASK,
            stepCount: word & STEPS_MASK,
            convicted: word & CONVICTED != 0,
            claimed: word & CLAIMED != 0
        });
    }

    /// @inheritdoc IRunManager
    function commitmentMatches(uint256 runId, uint256 round, address miner, Commitment calldata c)
        external
        view
        returns (bool)
    {
        uint256 word = _work[runId][round][miner];
        return word & STEPS_MASK != 0 && c.stepCount == word & STEPS_MASK
            && word & HASH_MASK == _commitmentHash(c.root, c.stepCount, c.deltaHash, c.baseHash) & HASH_MASK;
    }

    /// @inheritdoc IRunManager
    function attestationOf(uint256 runId, uint256 round, address validator)
        external
        view
        returns (AttestationInfo memory)
    {
        uint256 word = _work[runId][round][validator];
        return AttestationInfo({
            receiptsRoot: _receipts[runId][round][validator],
            checks: word & ATTESTED != 0 ? word >> HIGH_SHIFT : 0,
            attested: word & ATTESTED != 0,
            claimed: word & (ATTESTED | CLAIMED) == (ATTESTED | CLAIMED)
        });
    }

    /// @inheritdoc IRunManager
    function availabilityOf(uint256 runId, uint256 round, address validator) external view returns (uint256[] memory) {
        return _available[runId][round][validator];
    }

    /// @inheritdoc IRunManager
    function claimable(uint256 runId, uint256 round, address account) external view returns (uint256 amount) {
        RoundData memory rd = _rounds[runId][round];
        if (rd.flags & ROUND_FINALIZED == 0) return 0;
        uint256 word = _work[runId][round][account];
        if (word & (CLAIMED | CONVICTED) != 0) return 0;
        if (word & STEPS_MASK != 0) amount = _minerReward(rd, word & STEPS_MASK);
        else if (word & ATTESTED != 0) amount = _validatorReward(rd);
    }

    // ------------------------------------------------------------------ internals

    function _emitRunCreated(uint256 runId, RunSpec calldata spec, address shares, address governance) private {
        emit RunCreated(
            runId,
            msg.sender,
            shares,
            governance,
            spec.modelSpecHash,
            spec.dataSpecHash,
            spec.trainSpecHash,
            spec.dataRoot,
            spec.initialCheckpointHash,
            spec.stageCount,
            spec.maxStepsPerRound,
            spec.startBlock
        );
    }

    function _claimRound(uint256 runId, uint256 round, address account) private returns (uint256 amount) {
        RoundData memory rd = _loadRound(runId, round);
        if (rd.flags & ROUND_FINALIZED == 0) revert RunManagerRoundNotFinalized(runId, round);
        mapping(address => uint256) storage roundWork = _work[runId][round];
        uint256 word = roundWork[account];
        if (word & CLAIMED != 0) revert RunManagerAlreadyClaimed(runId, round, account);
        uint256 minerAmount;
        uint256 validatorAmount;
        if (word & STEPS_MASK != 0) {
            if (word & CONVICTED != 0) revert RunManagerCommitmentConvicted(runId, round, account);
            minerAmount = _minerReward(rd, word & STEPS_MASK);
        } else if (word & ATTESTED != 0) {
            validatorAmount = _validatorReward(rd);
        } else {
            revert RunManagerNothingToClaim(runId, round, account);
        }
        roundWork[account] = word | CLAIMED;
        amount = minerAmount + validatorAmount;
        emit Claimed(runId, round, account, minerAmount, validatorAmount);
    }

    /// @dev Reverts unless the run accepts commits for `round` now and `stepCount` is in range. Reads
    /// the run's core word once.
    function _checkCommitWindow(uint256 runId, uint256 round, uint256 stepCount) private view {
        RunCore storage coreRef = _core[runId];
        uint256 core;
        assembly ("memory-safe") {
            core := sload(coreRef.slot)
        }
        if (core == 0) revert RunManagerUnknownRun(runId);
        uint256 flags = (core >> 168) & 0xFF;
        if (flags != 0) {
            if (flags & RUN_PAUSED != 0) revert RunManagerPaused(runId);
            if (round >= core >> 216) revert RunManagerRoundHalted(runId, round);
        }
        (uint256 start, uint256 commitBlocks) = _commitWindow(runId, core, round);
        if (block.number < start) revert RunManagerCommitWindowNotOpen(runId, round, start);
        if (block.number >= start + commitBlocks) {
            revert RunManagerCommitWindowClosed(runId, round, start + commitBlocks - 1);
        }
        uint256 maxSteps = (core >> 184) & 0xFFFFFFFF;
        if (stepCount == 0 || stepCount > maxSteps) revert RunManagerInvalidStepCount(stepCount, maxSteps);
    }

    /// @dev First block and length of `round`'s commit window, from the run's core word (layout of
    /// RunCore: clockFrom bits 0-31, clockAnchor 32-79, commitBlocks 80-103, checkBlocks 104-127,
    /// voteBlocks 128-151, versions 152-167, flags 168-175, stageCount 176-183, maxSteps 184-215,
    /// haltedFrom 216-247).
    function _commitWindow(uint256 runId, uint256 core, uint256 round)
        private
        view
        returns (uint256 start, uint256 commitBlocks)
    {
        uint256 clockFrom = core & 0xFFFFFFFF;
        if (round >= clockFrom) {
            commitBlocks = (core >> 80) & 0xFFFFFF;
            uint256 roundBlocks = commitBlocks + ((core >> 104) & 0xFFFFFF) + ((core >> 128) & 0xFFFFFF);
            start = ((core >> 32) & 0xFFFFFFFFFFFF) + (round - clockFrom) * roundBlocks;
        } else {
            uint256 versions = (core >> 152) & 0xFFFF;
            RunParams.Stored storage v = _versions[runId][_versionIndex(runId, versions, clockFrom, round)];
            start = v.anchorBlock + (round - v.fromRound) * _roundBlocks(v);
            commitBlocks = v.commitBlocks;
        }
    }

    /// @dev The round's totals with one storage read (layout of RoundData: acceptedSteps bits 0-63,
    /// attesters 64-95, openDisputes 96-127, flags 128-135, sharesPerRound 136-231, validatorShareBps 232-247).
    function _loadRound(uint256 runId, uint256 round) private view returns (RoundData memory rd) {
        RoundData storage ref = _rounds[runId][round];
        uint256 word;
        assembly ("memory-safe") {
            word := sload(ref.slot)
        }
        rd.acceptedSteps = uint64(word);
        rd.attesters = uint32(word >> 64);
        rd.openDisputes = uint32(word >> 96);
        rd.flags = uint8(word >> 128);
        rd.sharesPerRound = uint96(word >> 136);
        rd.validatorShareBps = uint16(word >> 232);
    }

    /// @dev sharesPerRound × (1 − validatorShareBps) × stepCount / acceptedSteps
    function _minerReward(RoundData memory rd, uint256 steps) private pure returns (uint256) {
        // sharesPerRound <= 1e27 and steps < 2^32: the product cannot overflow
        return uint256(rd.sharesPerRound) * (RunParams.BPS - rd.validatorShareBps) * steps
            / (RunParams.BPS * uint256(rd.acceptedSteps));
    }

    /// @dev sharesPerRound × validatorShareBps / attestingValidators
    function _validatorReward(RoundData memory rd) private pure returns (uint256) {
        return uint256(rd.sharesPerRound) * rd.validatorShareBps / (RunParams.BPS * uint256(rd.attesters));
    }

    function _join(uint256 runId, RunCore storage core, uint256 required) private view returns (uint256 fromRound) {
        MemberData storage m = _members[runId][msg.sender];
        if (m.role != ROLE_NONE && m.untilRound == UNTIL_FOREVER) revert RunManagerAlreadyMember(runId, msg.sender);
        uint256 staked = _stakeManager.stakeOf(runId, msg.sender);
        if (staked < required) revert RunManagerInsufficientStake(runId, msg.sender, staked, required);
        fromRound = _nextRound(runId, core);
    }

    function _holdsRole(uint256 runId, uint256 round, address account, uint256 role) private view returns (bool) {
        MemberData storage m = _members[runId][account];
        return m.role == role && round >= m.fromRound && round < m.untilRound;
    }

    function _requireRun(uint256 runId) private view returns (RunCore storage core) {
        core = _core[runId];
        if (core.versions == 0) revert RunManagerUnknownRun(runId);
    }

    function _requireOpen(uint256 runId) private view returns (RunCore storage core) {
        core = _requireRun(runId);
        if (core.flags & RUN_HALTED != 0) revert RunManagerHalted(runId);
        if (core.flags & RUN_PAUSED != 0) revert RunManagerPaused(runId);
    }

    function _commitmentHash(bytes32 root, uint256 stepCount, bytes32 deltaHash, bytes32 baseHash)
        private
        pure
        returns (uint256)
    {
        return uint256(keccak256(abi.encode(root, stepCount, deltaHash, baseHash)));
    }

    function _roundBlocks(RunParams.Stored storage v) private view returns (uint256) {
        return uint256(v.commitBlocks) + v.checkBlocks + v.voteBlocks;
    }

    /// @dev (started, round of the current block). Before round 0 starts: (false, 0).
    function _currentRound(uint256 runId, RunCore storage core) private view returns (bool, uint256) {
        uint256 anchor = core.clockAnchor;
        uint256 from = core.clockFrom;
        uint256 roundBlocks = uint256(core.commitBlocks) + core.checkBlocks + core.voteBlocks;
        if (block.number < anchor) {
            if (from == 0) return (false, 0);
            // the newest version is pending: the current round follows the version before it
            RunParams.Stored storage v = _versions[runId][core.versions - 2];
            anchor = v.anchorBlock;
            from = v.fromRound;
            roundBlocks = _roundBlocks(v);
        }
        return (true, from + (block.number - anchor) / roundBlocks);
    }

    function _nextRound(uint256 runId, RunCore storage core) private view returns (uint256) {
        (bool started, uint256 current) = _currentRound(runId, core);
        return started ? current + 1 : 0;
    }

    function _versionIndex(uint256 runId, RunCore storage core, uint256 round) private view returns (uint256) {
        return _versionIndex(runId, core.versions, core.clockFrom, round);
    }

    /// @dev Index of the parameter version in force in `round`: the newest one whose fromRound <= round.
    function _versionIndex(uint256 runId, uint256 versions, uint256 newestFrom, uint256 round)
        private
        view
        returns (uint256)
    {
        uint256 hi = versions - 1;
        if (round >= newestFrom) return hi;
        mapping(uint256 => RunParams.Stored) storage vs = _versions[runId];
        if (hi == 0 || vs[hi - 1].fromRound <= round) return hi == 0 ? 0 : hi - 1;
        // binary search in [0, hi): vs[lo].fromRound <= round < vs[hi].fromRound
        uint256 lo = 0;
        while (hi - lo > 1) {
            uint256 mid = (lo + hi) / 2;
            if (vs[mid].fromRound <= round) lo = mid;
            else hi = mid;
        }
        return lo;
    }

    function _clock(uint256 runId, uint256 round) private view returns (RoundClock memory c) {
        RunCore storage core = _core[runId];
        RunParams.Stored storage v = _versions[runId][_versionIndex(runId, core, round)];
        uint256 start = v.anchorBlock + (round - v.fromRound) * _roundBlocks(v);
        c.round = round;
        c.start = start;
        c.commitDeadline = start + v.commitBlocks - 1;
        c.seedBlock = start + v.commitBlocks;
        c.checkEnd = c.commitDeadline + v.checkBlocks;
        c.voteCommitEnd = c.checkEnd + v.voteBlocks / 2;
        c.voteEnd = c.checkEnd + v.voteBlocks;
    }
}
