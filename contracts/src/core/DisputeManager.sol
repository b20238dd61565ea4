// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {IDisputeManager} from "../interfaces/IDisputeManager.sol";
import {IRunManager} from "../interfaces/IRunManager.sol";
import {IStakeManager} from "../interfaces/IStakeManager.sol";
import {StepLeaves} from "../libraries/StepLeaves.sol";
import {Evidence} from "../libraries/Evidence.sol";
import {JuryDraw} from "../libraries/JuryDraw.sol";

/// @title DisputeManager
/// @notice Fraud proofs decided on chain (the miner is slashed at once) and jury disputes decided by
/// commit-reveal votes of validators drawn from the round's snapshot with randomness fixed after the
/// challenge was filed (`drawJury`). Holds challenge bonds and the pull payments owed to provers,
/// challengers, jurors and miners.
/// @dev Invariant: address(this).balance == totalBonds + totalOwed. Slashed ETH arrives from the
/// StakeManager inside the same call and is credited or burned (sent to address(0)) before it returns.
contract DisputeManager is IDisputeManager, EIP712, ReentrancyGuard {
    /// @notice EIP-712 type of a lane message.
    bytes32 public constant TENSOR_MESSAGE_TYPEHASH = keccak256(
        "TensorMessage(uint256 runId,uint256 round,uint256 lane,uint256 step,uint256 fromStage,uint256 toStage,bytes32 tensorHash)"
    );

    /// @notice Share of a slash credited to the prover of a fraud or to a winning challenger.
    uint256 public constant REPORTER_SHARE_BPS = 5_000;
    /// @notice Share of a jury slash split equally among the majority jurors.
    uint256 public constant JUROR_SHARE_BPS = 2_500;
    /// @notice Share of a losing challenger's bond credited to the miner (the rest to majority jurors).
    uint256 public constant MINER_BOND_SHARE_BPS = 5_000;
    /// @notice Open jury challenges one commitment may face at a time (DESIGN §6, v2): a burst of bogus
    /// challenges cannot bury the miner, its jurors or the real one under unbounded work.
    uint256 public constant MAX_OPEN_PER_COMMITMENT = 4;
    /// @notice The jury of a challenge filed in block f is drawn from the hash of block
    /// f + JURY_DELAY_BLOCKS, unknown to anyone when the challenge is filed (DESIGN §6, v2).
    uint256 public constant JURY_DELAY_BLOCKS = 1;
    /// @notice Blocks after its seed block during which a jury can be drawn (blockhash reaches back
    /// 256 blocks); a challenge whose jury was never drawn is then resolved for the miner.
    uint256 public constant JURY_DRAW_BLOCKS = 256;
    /// @notice Juries drawn at most per challenge: the first and, after too few reveals, one redraw.
    uint256 public constant MAX_DRAWS = 2;

    uint256 public constant FRAUD_CHAIN_BREAK = Evidence.FRAUD_CHAIN_BREAK;
    uint256 public constant FRAUD_BASE_MISMATCH = Evidence.FRAUD_BASE_MISMATCH;
    uint256 public constant FRAUD_EQUIVOCATION = Evidence.FRAUD_EQUIVOCATION;
    uint256 public constant FRAUD_MALFORMED = Evidence.FRAUD_MALFORMED;
    uint256 public constant CHALLENGE_WRONG_RESULT = Evidence.CHALLENGE_WRONG_RESULT;
    uint256 public constant CHALLENGE_UNAVAILABLE = Evidence.CHALLENGE_UNAVAILABLE;

    uint256 public constant STATUS_OPEN = 1;
    uint256 public constant STATUS_GUILTY = 2;
    uint256 public constant STATUS_INNOCENT = 3;

    uint256 private constant BPS = 10_000;

    struct ChallengeData {
        // slot 0
        address miner;
        uint32 round;
        uint8 kind;
        uint8 status;
        uint8 guiltyVotes;
        uint8 innocentVotes;
        // slot 1
        address challenger;
        uint48 voteCommitEnd;
        uint48 voteEnd;
        // slot 2
        uint128 bond;
        uint128 jurorBond;
        // slot 3
        uint64 runId;
        uint32 step;
        uint16 slashBps;
        uint48 drawBlock;
        uint8 draws;
        uint8 seats;
        // slot 4
        bytes32 evidenceHash;
    }

    IRunManager private immutable _runManager;
    IStakeManager private immutable _stakeManager;

    uint256 private _challengeCount;
    uint256 private _totalBonds;
    uint256 private _totalOwed;

    mapping(uint256 challengeId => ChallengeData) private _challenges;
    mapping(uint256 challengeId => address[]) private _jurors;
    mapping(uint256 challengeId => mapping(address juror => Ballot)) private _ballots;
    mapping(address account => uint256) private _owed;
    mapping(bytes32 evidenceHash => bool) private _evidenceUsed;
    mapping(bytes32 commitmentKey => uint256) private _openAgainst;
    mapping(bytes32 reportKey => uint256 committedAt) private _reports;

    /// @param runManager_ the RunManager whose commitments are disputed
    /// @param stakeManager_ the StakeManager holding the stakes
    constructor(address runManager_, address stakeManager_) EIP712("protolearn", "1") {
        if (runManager_ == address(0) || stakeManager_ == address(0)) revert DisputeManagerZeroAddress();
        _runManager = IRunManager(runManager_);
        _stakeManager = IStakeManager(stakeManager_);
    }

    /// @notice Accepts slashed stake from the StakeManager only.
    receive() external payable {
        if (msg.sender != address(_stakeManager)) revert DisputeManagerUnexpectedEther(msg.sender);
    }

    // ------------------------------------------------------------------ reports

    /// @inheritdoc IDisputeManager
    function commitReport(bytes32 key) external {
        if (_reports[key] != 0) revert DisputeManagerReportExists(key);
        _reports[key] = block.number;
        emit ReportCommitted(key, msg.sender);
    }

    /// @inheritdoc IDisputeManager
    function reportKey(bytes32 evidenceHash, address reporter, bytes32 salt) external pure returns (bytes32) {
        return _reportKey(evidenceHash, reporter, salt);
    }

    /// @inheritdoc IDisputeManager
    function reportCommittedAt(bytes32 key) external view returns (uint256) {
        return _reports[key];
    }

    // ------------------------------------------------------------------ fraud proofs

    /// @inheritdoc IDisputeManager
    function proveChainBreak(
        uint256 runId,
        uint256 round,
        address miner,
        IRunManager.Commitment calldata c,
        StepLeaf calldata a,
        bytes32[] calldata proofA,
        StepLeaf calldata b,
        bytes32[] calldata proofB,
        bytes32 salt
    ) external nonReentrant {
        _requireCommitment(runId, round, miner, c);
        _requireWellFormedLeaf(runId, round, miner, c, a, proofA);
        _requireWellFormedLeaf(runId, round, miner, c, b, proofB);
        if (a.step + 1 != b.step) revert DisputeManagerLeafMismatch("step");
        if (a.lane != b.lane) revert DisputeManagerLeafMismatch("lane");
        if (a.paramsAfterHash == b.paramsBeforeHash) revert DisputeManagerNotFraud();
        bytes32 evidence = Evidence.chainBreak(runId, round, miner, StepLeaves.hash(a), StepLeaves.hash(b));
        _punishFraud(runId, round, miner, FRAUD_CHAIN_BREAK, evidence, salt);
    }

    /// @inheritdoc IDisputeManager
    function proveBaseMismatch(
        uint256 runId,
        uint256 round,
        address miner,
        IRunManager.Commitment calldata c,
        StepLeaf calldata leaf,
        bytes32[] calldata proof,
        bytes32 salt
    ) external nonReentrant {
        _requireCommitment(runId, round, miner, c);
        _requireWellFormedLeaf(runId, round, miner, c, leaf, proof);
        if (leaf.step != 0) revert DisputeManagerLeafMismatch("step");
        if (leaf.paramsBeforeHash == c.baseHash) revert DisputeManagerNotFraud();
        bytes32 evidence = Evidence.baseMismatch(runId, round, miner, StepLeaves.hash(leaf));
        _punishFraud(runId, round, miner, FRAUD_BASE_MISMATCH, evidence, salt);
    }

    /// @inheritdoc IDisputeManager
    function proveEquivocation(
        TensorMessage calldata message,
        bytes calldata signature,
        IRunManager.Commitment calldata c,
        StepLeaf calldata leaf,
        bytes32[] calldata proof,
        bytes32 salt
    ) external nonReentrant {
        bytes32 digest = _tensorMessageDigest(message);
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signature);
        if (err != ECDSA.RecoverError.NoError) revert DisputeManagerInvalidSignature();
        uint256 runId = message.runId;
        uint256 round = message.round;
        _requireCommitment(runId, round, signer, c);
        _requireWellFormedLeaf(runId, round, signer, c, leaf, proof);
        if (leaf.step != message.step) revert DisputeManagerLeafMismatch("step");
        if (leaf.lane != message.lane) revert DisputeManagerLeafMismatch("lane");
        if (leaf.stage != message.fromStage) revert DisputeManagerLeafMismatch("stage");
        bytes32 ownHash;
        if (message.toStage == message.fromStage + 1) {
            ownHash = leaf.outputHash; // activations sent forward
        } else if (message.toStage + 1 == message.fromStage) {
            ownHash = leaf.inputGradHash; // gradient sent back
        } else {
            revert DisputeManagerInvalidDirection(message.fromStage, message.toStage);
        }
        if (ownHash == message.tensorHash) revert DisputeManagerNotFraud();
        bytes32 evidence = Evidence.equivocation(digest);
        _punishFraud(runId, round, signer, FRAUD_EQUIVOCATION, evidence, salt);
    }

    /// @inheritdoc IDisputeManager
    function proveMalformed(
        uint256 runId,
        uint256 round,
        address miner,
        IRunManager.Commitment calldata c,
        StepLeaf calldata leaf,
        bytes32[] calldata proof,
        bytes32 salt
    ) external nonReentrant {
        _requireCommitment(runId, round, miner, c);
        if (!StepLeaves.verify(leaf, proof, c.root)) revert DisputeManagerInvalidProof();
        uint256 stage = _runManager.commitmentOf(runId, round, miner).stage;
        bool malformed = leaf.runId != runId || leaf.round != round || leaf.miner != miner || leaf.stage != stage
            || leaf.step >= c.stepCount;
        if (!malformed) revert DisputeManagerNotFraud();
        bytes32 evidence = Evidence.malformed(runId, round, miner, StepLeaves.hash(leaf));
        _punishFraud(runId, round, miner, FRAUD_MALFORMED, evidence, salt);
    }

    // ------------------------------------------------------------------ jury disputes

    /// @inheritdoc IDisputeManager
    function challengeWrongResult(
        uint256 runId,
        uint256 round,
        address miner,
        IRunManager.Commitment calldata c,
        StepLeaf calldata leaf,
        bytes32[] calldata proof,
        bytes32 salt
    ) external payable nonReentrant returns (uint256 challengeId) {
        _requireCommitment(runId, round, miner, c);
        _requireWellFormedLeaf(runId, round, miner, c, leaf, proof);
        bytes32 evidence = Evidence.wrongResult(runId, round, miner, StepLeaves.hash(leaf));
        challengeId = _openChallenge(runId, round, miner, CHALLENGE_WRONG_RESULT, leaf.step, evidence, salt);
    }

    /// @inheritdoc IDisputeManager
    function challengeUnavailable(
        uint256 runId,
        uint256 round,
        address miner,
        IRunManager.Commitment calldata c,
        uint256 step,
        bytes32 salt
    ) external payable nonReentrant returns (uint256 challengeId) {
        _requireCommitment(runId, round, miner, c);
        // step == stepCount names the round's update (its delta): a miner whose update was not
        // available is challenged like any other artifact, so it is not paid for work that did not
        // enter the model (DESIGN §7 v2) at no per-participant gas
        if (step > c.stepCount) revert DisputeManagerStepOutOfRange(step, c.stepCount);
        bytes32 evidence = Evidence.unavailable(runId, round, miner, step);
        challengeId = _openChallenge(runId, round, miner, CHALLENGE_UNAVAILABLE, step, evidence, salt);
    }

    /// @inheritdoc IDisputeManager
    function drawJury(uint256 challengeId) external nonReentrant returns (address[] memory jurors) {
        ChallengeData storage ch = _openChallengeData(challengeId);
        if (ch.voteEnd != 0) revert DisputeManagerJuryDrawn(challengeId);
        uint256 drawBlock = ch.drawBlock;
        if (block.number <= drawBlock) revert DisputeManagerJuryNotDue(challengeId, drawBlock + 1);
        if (block.number > drawBlock + JURY_DRAW_BLOCKS) {
            revert DisputeManagerJuryLapsed(challengeId, drawBlock + JURY_DRAW_BLOCKS);
        }
        uint256 draw = uint256(ch.draws) + 1;
        // the only input nobody knew when the challenge (or the redraw) was due: the seed block's
        // hash; when the call is made does not change it
        bytes32 seed = keccak256(abi.encode(blockhash(drawBlock), challengeId, draw));
        ch.draws = uint8(draw);
        jurors = _drawJurors(challengeId, ch, seed);
        // jurors get at least the run's commit and reveal spans from the draw; a jury drawn inside
        // the check window keeps the round's own vote windows
        IRunManager.RoundClock memory clock = _runManager.clockOf(ch.runId, ch.round);
        uint256 commitEnd = block.number + (clock.voteCommitEnd - clock.checkEnd);
        if (commitEnd < clock.voteCommitEnd) commitEnd = clock.voteCommitEnd;
        uint256 voteEnd = commitEnd + (clock.voteEnd - clock.voteCommitEnd);
        ch.voteCommitEnd = uint48(commitEnd);
        ch.voteEnd = uint48(voteEnd);
        emit JuryDrawn(challengeId, draw, jurors, commitEnd, voteEnd);
    }

    /// @inheritdoc IDisputeManager
    function commitVote(uint256 challengeId, bytes32 commitment) external {
        ChallengeData storage ch = _openChallengeData(challengeId);
        Ballot storage ballot = _ballots[challengeId][msg.sender];
        if (!ballot.drawn) revert DisputeManagerNotJuror(challengeId, msg.sender);
        if (block.number > ch.voteCommitEnd) revert DisputeManagerVoteCommitClosed(challengeId, ch.voteCommitEnd);
        if (ballot.commitment != bytes32(0)) revert DisputeManagerAlreadyCommitted(challengeId, msg.sender);
        ballot.commitment = commitment;
        emit VoteCommitted(challengeId, msg.sender, commitment);
    }

    /// @inheritdoc IDisputeManager
    function revealVote(uint256 challengeId, bool guilty, bytes32 salt) external {
        ChallengeData storage ch = _openChallengeData(challengeId);
        Ballot storage ballot = _ballots[challengeId][msg.sender];
        if (!ballot.drawn) revert DisputeManagerNotJuror(challengeId, msg.sender);
        if (block.number <= ch.voteCommitEnd) revert DisputeManagerRevealNotOpen(challengeId, ch.voteCommitEnd);
        if (block.number > ch.voteEnd) revert DisputeManagerRevealClosed(challengeId, ch.voteEnd);
        if (ballot.commitment == bytes32(0)) revert DisputeManagerNoVoteCommitted(challengeId, msg.sender);
        if (ballot.revealed) revert DisputeManagerAlreadyRevealed(challengeId, msg.sender);
        if (keccak256(abi.encodePacked(guilty, salt, msg.sender)) != ballot.commitment) {
            revert DisputeManagerVoteMismatch(challengeId, msg.sender);
        }
        ballot.revealed = true;
        ballot.guilty = guilty;
        if (guilty) ch.guiltyVotes += 1;
        else ch.innocentVotes += 1;
        emit VoteRevealed(challengeId, msg.sender, guilty);
    }

    /// @inheritdoc IDisputeManager
    function resolve(uint256 challengeId) external nonReentrant {
        ChallengeData storage ch = _openChallengeData(challengeId);
        uint256 runId = ch.runId;
        bool lapsed;
        if (ch.voteEnd == 0) {
            // no jury sits: only once it can no longer be drawn
            uint256 lastDraw = uint256(ch.drawBlock) + JURY_DRAW_BLOCKS;
            if (block.number <= lastDraw) revert DisputeManagerJuryNotDrawn(challengeId, lastDraw);
            lapsed = ch.draws == 0;
        } else {
            uint256 revealed = uint256(ch.guiltyVotes) + ch.innocentVotes;
            if (block.number <= ch.voteEnd && revealed < _jurors[challengeId].length) {
                revert DisputeManagerVotingNotOver(challengeId, ch.voteEnd);
            }
            // too few reveals (no majority of the seats): one redraw, from a block still to come
            if (revealed <= ch.seats / 2 && ch.draws < MAX_DRAWS && _undrawn(challengeId, ch) > 0) {
                uint256 drawBlock = block.number + JURY_DELAY_BLOCKS;
                ch.voteCommitEnd = 0;
                ch.voteEnd = 0;
                ch.drawBlock = uint48(drawBlock);
                emit JuryRedrawDue(challengeId, revealed, drawBlock);
                return;
            }
        }
        bool guilty = ch.guiltyVotes > ch.innocentVotes;
        ch.status = uint8(guilty ? STATUS_GUILTY : STATUS_INNOCENT);
        _totalBonds -= ch.bond;

        uint256 toBurn = _settleJurors(challengeId, runId, ch.jurorBond);
        _stakeManager.unlock(runId, ch.miner);
        _runManager.disputeClosed(runId, ch.round);
        --_openAgainst[_commitmentKey(runId, ch.round, ch.miner)];
        uint256 slashed;
        if (guilty) {
            uint256 burnt;
            (slashed, burnt) = _resolveGuilty(challengeId, ch);
            toBurn += burnt;
        } else if (lapsed) {
            // the challenger never had its jury drawn: its bond pays the miner it held up
            _credit(ch.miner, ch.bond);
        } else {
            _resolveInnocent(challengeId, ch);
        }
        emit ChallengeResolved(challengeId, guilty, ch.guiltyVotes, ch.innocentVotes, slashed);
        _burn(toBurn);
    }

    /// @dev Validators of the round that a redraw could still seat.
    function _undrawn(uint256 challengeId, ChallengeData storage ch) private view returns (uint256) {
        uint256 eligible = _eligible(ch.runId, ch.round, ch.miner);
        uint256 drawn = _jurors[challengeId].length;
        return eligible > drawn ? eligible - drawn : 0;
    }

    /// @inheritdoc IDisputeManager
    function withdrawPayments() external nonReentrant {
        uint256 amount = _owed[msg.sender];
        if (amount == 0) revert DisputeManagerNothingOwed(msg.sender);
        _owed[msg.sender] = 0;
        _totalOwed -= amount;
        emit PaymentWithdrawn(msg.sender, amount);
        Address.sendValue(payable(msg.sender), amount);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IDisputeManager
    function runManager() external view returns (address) {
        return address(_runManager);
    }

    /// @inheritdoc IDisputeManager
    function stakeManager() external view returns (address) {
        return address(_stakeManager);
    }

    /// @inheritdoc IDisputeManager
    function challengeCount() external view returns (uint256) {
        return _challengeCount;
    }

    /// @inheritdoc IDisputeManager
    function challengeOf(uint256 challengeId) external view returns (Challenge memory) {
        ChallengeData storage ch = _challenges[challengeId];
        if (ch.status == 0) revert DisputeManagerUnknownChallenge(challengeId);
        return Challenge({
            runId: ch.runId,
            round: ch.round,
            miner: ch.miner,
            challenger: ch.challenger,
            kind: ch.kind,
            step: ch.step,
            evidenceHash: ch.evidenceHash,
            bond: ch.bond,
            status: ch.status,
            jurorBond: ch.jurorBond,
            slashBps: ch.slashBps,
            voteCommitEnd: ch.voteCommitEnd,
            voteEnd: ch.voteEnd,
            guiltyVotes: ch.guiltyVotes,
            innocentVotes: ch.innocentVotes,
            drawBlock: ch.drawBlock,
            draws: ch.draws,
            seats: ch.seats
        });
    }

    /// @inheritdoc IDisputeManager
    function jurorsOf(uint256 challengeId) external view returns (address[] memory) {
        return _jurors[challengeId];
    }

    /// @inheritdoc IDisputeManager
    function ballotOf(uint256 challengeId, address juror) external view returns (Ballot memory) {
        return _ballots[challengeId][juror];
    }

    /// @inheritdoc IDisputeManager
    function owedTo(address account) external view returns (uint256) {
        return _owed[account];
    }

    /// @inheritdoc IDisputeManager
    function totals() external view returns (uint256 totalBonds, uint256 totalOwed) {
        return (_totalBonds, _totalOwed);
    }

    /// @inheritdoc IDisputeManager
    function evidenceUsed(bytes32 evidenceHash) external view returns (bool) {
        return _evidenceUsed[evidenceHash];
    }

    /// @inheritdoc IDisputeManager
    function tensorMessageDigest(TensorMessage calldata message) external view returns (bytes32) {
        return _tensorMessageDigest(message);
    }

    /// @inheritdoc IDisputeManager
    function leafHash(StepLeaf calldata leaf) external pure returns (bytes32) {
        return StepLeaves.hash(leaf);
    }

    /// @inheritdoc IDisputeManager
    function voteCommitment(bool guilty, bytes32 salt, address juror) external pure returns (bytes32) {
        return keccak256(abi.encodePacked(guilty, salt, juror));
    }

    // ------------------------------------------------------------------ internals

    function _tensorMessageDigest(TensorMessage calldata message) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(TENSOR_MESSAGE_TYPEHASH, message)));
    }

    function _requireCommitment(uint256 runId, uint256 round, address miner, IRunManager.Commitment calldata c)
        private
        view
    {
        if (!_runManager.commitmentMatches(runId, round, miner, c)) {
            revert DisputeManagerCommitmentMismatch(runId, round, miner);
        }
    }

    /// @dev The leaf is proven under the committed root and names this run, round, miner and a step
    /// below stepCount (a leaf that does not is evidence for proveMalformed instead).
    function _requireWellFormedLeaf(
        uint256 runId,
        uint256 round,
        address miner,
        IRunManager.Commitment calldata c,
        StepLeaf calldata leaf,
        bytes32[] calldata proof
    ) private pure {
        if (!StepLeaves.verify(leaf, proof, c.root)) revert DisputeManagerInvalidProof();
        if (leaf.runId != runId) revert DisputeManagerLeafMismatch("runId");
        if (leaf.round != round) revert DisputeManagerLeafMismatch("round");
        if (leaf.miner != miner) revert DisputeManagerLeafMismatch("miner");
        if (leaf.step >= c.stepCount) revert DisputeManagerStepOutOfRange(leaf.step, c.stepCount);
    }

    function _commitmentKey(uint256 runId, uint256 round, address miner) private pure returns (bytes32) {
        return keccak256(abi.encode(runId, round, miner));
    }

    /// @dev Uses the evidence for the caller's report committed in an earlier block (DESIGN §6 v2):
    /// a copy of the reveal sent from another address, or a commitment made after the reveal was
    /// seen, is refused. The report slot is cleared (refund).
    function _useReport(bytes32 evidence, bytes32 salt) private {
        if (_evidenceUsed[evidence]) revert DisputeManagerEvidenceUsed(evidence);
        bytes32 key = _reportKey(evidence, msg.sender, salt);
        uint256 committedAt = _reports[key];
        if (committedAt == 0) revert DisputeManagerReportNotCommitted(evidence, msg.sender);
        if (committedAt >= block.number) revert DisputeManagerReportTooEarly(evidence, committedAt + 1);
        delete _reports[key];
        _evidenceUsed[evidence] = true;
    }

    function _reportKey(bytes32 evidence, address reporter, bytes32 salt) private pure returns (bytes32) {
        return keccak256(abi.encode(evidence, reporter, salt));
    }

    function _punishFraud(uint256 runId, uint256 round, address miner, uint256 kind, bytes32 evidence, bytes32 salt)
        private
    {
        _useReport(evidence, salt);
        // DESIGN §6: a commitment is slashed at most once; more evidence neither slashes nor pays
        if (!_runManager.convict(runId, round, miner)) revert DisputeManagerAlreadyConvicted(runId, round, miner);
        uint256 slashBps = _runManager.paramsAt(runId, round).slashBps;
        uint256 amount = _stakeManager.slashableOf(runId, miner) * slashBps / BPS;
        uint256 slashed = _stakeManager.slash(runId, miner, amount, evidence);
        uint256 reporterShare = slashed * REPORTER_SHARE_BPS / BPS;
        _credit(msg.sender, reporterShare);
        emit FraudProven(runId, round, miner, kind, msg.sender, evidence, slashed);
        _burn(slashed - reporterShare);
    }

    function _openChallenge(
        uint256 runId,
        uint256 round,
        address miner,
        uint256 kind,
        uint256 step,
        bytes32 evidence,
        bytes32 salt
    ) private returns (uint256 challengeId) {
        // DESIGN §6 (v2): only validators of the round's snapshot accuse; an outsider, or a party's
        // proxy contract, cannot file (and so cannot sit on the jury of its own challenge)
        if (!_runManager.isValidatorIn(runId, round, msg.sender)) {
            revert DisputeManagerNotValidator(runId, round, msg.sender);
        }
        if (_runManager.seedOf(runId, round) == bytes32(0)) revert DisputeManagerSeedNotDrawn(runId, round);
        IRunManager.RoundClock memory clock = _runManager.clockOf(runId, round);
        if (block.number > clock.checkEnd) revert DisputeManagerChallengeWindowClosed(runId, round, clock.checkEnd);
        IRunManager.Params memory p = _runManager.paramsAt(runId, round);
        if (msg.value != p.challengeBond) revert DisputeManagerWrongBond(msg.value, p.challengeBond);
        if (_runManager.commitmentOf(runId, round, miner).convicted) {
            revert DisputeManagerAlreadyConvicted(runId, round, miner);
        }
        bytes32 key = _commitmentKey(runId, round, miner);
        if (_openAgainst[key] >= MAX_OPEN_PER_COMMITMENT) {
            revert DisputeManagerTooManyChallenges(runId, round, miner, MAX_OPEN_PER_COMMITMENT);
        }
        ++_openAgainst[key];
        _useReport(evidence, salt);
        // at least one validator besides the challenger (and the miner, were it one) can sit
        uint256 eligible = _eligible(runId, round, miner);
        if (eligible == 0) revert DisputeManagerJuryUnavailable(runId, round, 0);

        challengeId = ++_challengeCount;
        _challenges[challengeId] = ChallengeData({
            miner: miner,
            round: uint32(round),
            kind: uint8(kind),
            status: uint8(STATUS_OPEN),
            guiltyVotes: 0,
            innocentVotes: 0,
            challenger: msg.sender,
            voteCommitEnd: 0,
            voteEnd: 0,
            bond: uint128(msg.value),
            jurorBond: uint128(p.jurorBond),
            runId: uint64(runId),
            step: uint32(step),
            slashBps: uint16(p.slashBps),
            drawBlock: uint48(block.number + JURY_DELAY_BLOCKS),
            draws: 0,
            seats: uint8(p.jurorCount),
            evidenceHash: evidence
        });
        _totalBonds += msg.value;
        emit ChallengeOpened(
            challengeId, runId, round, miner, msg.sender, kind, step, evidence, msg.value, block.number + JURY_DELAY_BLOCKS
        );

        _stakeManager.lock(runId, miner);
        _runManager.disputeOpened(runId, round);
    }

    /// @dev Validators of the round's snapshot other than the parties and the jurors drawn so far.
    function _eligible(uint256 runId, uint256 round, address miner) private view returns (uint256) {
        uint256 n = _runManager.validatorCountAt(runId, round);
        uint256 parties = 1 + (_runManager.isValidatorIn(runId, round, miner) ? 1 : 0);
        return n > parties ? n - parties : 0;
    }

    /// @dev Draws up to `seats` jurors among the round's validators that are neither a party nor
    /// drawn before: the first such entries of the permutation JuryDraw derives from `seed`. The
    /// parties and earlier jurors are at most seats + 2 entries, so seats * 2 + 2 draws suffice.
    function _drawJurors(uint256 challengeId, ChallengeData storage ch, bytes32 seed)
        private
        returns (address[] memory drawn)
    {
        uint256 seats = ch.seats;
        uint256 n = _runManager.validatorCountAt(ch.runId, ch.round);
        uint256[] memory order = JuryDraw.sample(seed, n, seats + _jurors[challengeId].length + 2);
        drawn = new address[](seats);
        uint256 count;
        for (uint256 t = 0; t < order.length && count < seats; ++t) {
            address v = _seat(challengeId, ch, order[t]);
            if (v != address(0)) drawn[count++] = v;
        }
        assembly ("memory-safe") {
            mstore(drawn, count)
        }
    }

    /// @dev Seats the validator at `index` of the round's snapshot unless it is a party or already
    /// drawn; returns it, or address(0).
    function _seat(uint256 challengeId, ChallengeData storage ch, uint256 index) private returns (address v) {
        uint256 runId = ch.runId;
        v = _runManager.validatorAt(runId, ch.round, index);
        Ballot storage ballot = _ballots[challengeId][v];
        if (v == ch.miner || v == ch.challenger || ballot.drawn) return address(0);
        ballot.drawn = true;
        _jurors[challengeId].push(v);
        _stakeManager.lock(runId, v);
    }

    /// @dev Unlocks every juror and takes the juror bond from those who did not reveal.
    /// @return forfeited the ETH slashed from them, to burn
    function _settleJurors(uint256 challengeId, uint256 runId, uint256 jurorBond) private returns (uint256 forfeited) {
        address[] storage jurors = _jurors[challengeId];
        for (uint256 i = 0; i < jurors.length; ++i) {
            address juror = jurors[i];
            _stakeManager.unlock(runId, juror);
            if (!_ballots[challengeId][juror].revealed) {
                bytes32 evidence = Evidence.jurorForfeit(challengeId, juror);
                uint256 amount = _stakeManager.slash(runId, juror, jurorBond, evidence);
                forfeited += amount;
                emit JurorBondForfeited(challengeId, juror, amount);
            }
        }
    }

    /// @dev Convicts and slashes the miner: bond + REPORTER_SHARE_BPS of the slash to the challenger,
    /// JUROR_SHARE_BPS split among the guilty-voting jurors, the rest burned.
    function _resolveGuilty(uint256 challengeId, ChallengeData storage ch)
        private
        returns (uint256 slashed, uint256 toBurn)
    {
        uint256 runId = ch.runId;
        address miner = ch.miner;
        if (!_runManager.convict(runId, ch.round, miner)) {
            // convicted meanwhile by other evidence (slashed then, once): the challenger was right and
            // gets its bond back, nobody is paid from a second slash
            _credit(ch.challenger, ch.bond);
            return (0, 0);
        }
        uint256 amount = _stakeManager.slashableOf(runId, miner) * ch.slashBps / BPS;
        slashed = _stakeManager.slash(runId, miner, amount, ch.evidenceHash);
        uint256 reporterShare = slashed * REPORTER_SHARE_BPS / BPS;
        uint256 majority = ch.guiltyVotes;
        uint256 perJuror = slashed * JUROR_SHARE_BPS / BPS / majority;
        _credit(ch.challenger, uint256(ch.bond) + reporterShare);
        _creditMajority(challengeId, true, perJuror);
        toBurn = slashed - reporterShare - perJuror * majority;
    }

    /// @dev The challenger's bond goes to the miner and the innocent-voting majority (none on a tie).
    /// On an unavailable challenge the miner gets none of it (DESIGN §6 v2: hiding data from the
    /// challenger and showing it to the jury must not pay): the rest returns to the challenger.
    function _resolveInnocent(uint256 challengeId, ChallengeData storage ch) private {
        uint256 bond = ch.bond;
        uint256 majority = ch.innocentVotes > ch.guiltyVotes ? ch.innocentVotes : 0;
        uint256 perJuror = majority == 0 ? 0 : (bond - bond * MINER_BOND_SHARE_BPS / BPS) / majority;
        address rest = ch.kind == CHALLENGE_UNAVAILABLE ? ch.challenger : ch.miner;
        _credit(rest, bond - perJuror * majority);
        _creditMajority(challengeId, false, perJuror);
    }

    function _creditMajority(uint256 challengeId, bool guilty, uint256 perJuror) private {
        if (perJuror == 0) return;
        address[] storage jurors = _jurors[challengeId];
        for (uint256 i = 0; i < jurors.length; ++i) {
            Ballot storage ballot = _ballots[challengeId][jurors[i]];
            if (ballot.revealed && ballot.guilty == guilty) _credit(jurors[i], perJuror);
        }
    }

    function _openChallengeData(uint256 challengeId) private view returns (ChallengeData storage ch) {
        ch = _challenges[challengeId];
        if (ch.status == 0) revert DisputeManagerUnknownChallenge(challengeId);
        if (ch.status != STATUS_OPEN) revert DisputeManagerChallengeClosed(challengeId);
    }

    function _credit(address account, uint256 amount) private {
        if (amount == 0) return;
        uint256 owed = _owed[account] + amount;
        _owed[account] = owed;
        _totalOwed += amount;
        emit PaymentCredited(account, amount, owed);
    }

    function _burn(uint256 amount) private {
        if (amount == 0) return;
        emit Burned(amount);
        Address.sendValue(payable(address(0)), amount);
    }
}
