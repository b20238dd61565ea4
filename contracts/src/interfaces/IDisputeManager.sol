// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IRunManager} from "./IRunManager.sol";

/// @title IDisputeManager
/// @notice On-chain fraud proofs (chain break, base mismatch, equivocation, malformed commitment)
/// and jury disputes (wrong result, unavailable) with commit-reveal votes. Holds challenge bonds
/// and the pull payments owed to challengers, jurors and miners.
interface IDisputeManager {
    /// @notice One step record (DESIGN §4). Its ABI encoding, field by field in this order, is the
    /// leaf of the miner's round tree: leafHash = keccak256(bytes.concat(keccak256(abi.encode(leaf)))).
    struct StepLeaf {
        uint256 runId;
        uint256 round;
        address miner;
        uint256 stage;
        uint256 lane;
        uint256 step;
        bytes32 paramsBeforeHash;
        bytes32 optStateBeforeHash;
        bytes32 inputHash;
        bytes32 upstreamGradHash;
        bytes32 outputHash;
        bytes32 inputGradHash;
        bytes32 paramGradHash;
        bytes32 paramsAfterHash;
    }

    /// @notice A tensor sent between lane members, signed by the sender as EIP-712 typed data
    /// TensorMessage(uint256 runId,uint256 round,uint256 lane,uint256 step,uint256 fromStage,uint256 toStage,bytes32 tensorHash)
    /// under the domain {name: "protolearn", version: "1", chainId, verifyingContract: this}.
    struct TensorMessage {
        uint256 runId;
        uint256 round;
        uint256 lane;
        uint256 step;
        uint256 fromStage;
        uint256 toStage;
        bytes32 tensorHash;
    }

    /// @notice A jury dispute. kind: 0 wrong result, 1 unavailable. status: 1 open, 2 guilty, 3 innocent.
    struct Challenge {
        uint256 runId;
        uint256 round;
        address miner;
        address challenger;
        uint256 kind;
        uint256 step;
        bytes32 evidenceHash;
        uint256 bond;
        uint256 status;
        uint256 jurorBond;
        uint256 slashBps;
        uint256 voteCommitEnd;
        uint256 voteEnd;
        uint256 guiltyVotes;
        uint256 innocentVotes;
        /// @dev the block whose hash seeds the next jury draw (filing block + JURY_DELAY_BLOCKS, or the
        /// redraw's); drawJury is callable after it for JURY_DRAW_BLOCKS blocks
        uint256 drawBlock;
        /// @dev juries drawn so far: 0 (voteCommitEnd and voteEnd are 0 until the first), 1 or 2
        uint256 draws;
        /// @dev jurorCount when the challenge was filed: seats per draw
        uint256 seats;
    }

    /// @notice A juror's ballot. `commitment` = keccak256(abi.encodePacked(bool guilty, bytes32 salt, address juror)).
    struct Ballot {
        bool drawn;
        bytes32 commitment;
        bool revealed;
        bool guilty;
    }

    /// @notice The miner was slashed by an on-chain fraud proof. kind: 0 chain break, 1 base mismatch,
    /// 2 equivocation, 3 malformed commitment.
    event FraudProven(
        uint256 indexed runId,
        uint256 indexed round,
        address indexed miner,
        uint256 kind,
        address prover,
        bytes32 evidenceHash,
        uint256 slashed
    );
    event ChallengeOpened(
        uint256 indexed challengeId,
        uint256 indexed runId,
        uint256 indexed round,
        address miner,
        address challenger,
        uint256 kind,
        uint256 step,
        bytes32 evidenceHash,
        uint256 bond,
        uint256 drawBlock
    );
    /// @notice A jury was drawn (draw 1, or 2 after too few reveals) with the windows of its votes.
    event JuryDrawn(
        uint256 indexed challengeId, uint256 draw, address[] jurors, uint256 voteCommitEnd, uint256 voteEnd
    );
    /// @notice Too few jurors revealed: a second jury is drawn from the hash of `drawBlock`.
    event JuryRedrawDue(uint256 indexed challengeId, uint256 revealed, uint256 drawBlock);
    event ReportCommitted(bytes32 indexed key, address indexed reporter);
    event VoteCommitted(uint256 indexed challengeId, address indexed juror, bytes32 commitment);
    event VoteRevealed(uint256 indexed challengeId, address indexed juror, bool guilty);
    event ChallengeResolved(
        uint256 indexed challengeId, bool guilty, uint256 guiltyVotes, uint256 innocentVotes, uint256 slashed
    );
    event JurorBondForfeited(uint256 indexed challengeId, address indexed juror, uint256 amount);
    event PaymentCredited(address indexed account, uint256 amount, uint256 owed);
    event Burned(uint256 amount);
    event PaymentWithdrawn(address indexed account, uint256 amount);

    error DisputeManagerZeroAddress();
    error DisputeManagerUnexpectedEther(address sender);
    error DisputeManagerCommitmentMismatch(uint256 runId, uint256 round, address miner);
    error DisputeManagerInvalidProof();
    error DisputeManagerLeafMismatch(string field);
    error DisputeManagerNotFraud();
    error DisputeManagerInvalidSignature();
    error DisputeManagerInvalidDirection(uint256 fromStage, uint256 toStage);
    error DisputeManagerEvidenceUsed(bytes32 evidenceHash);
    error DisputeManagerAlreadyConvicted(uint256 runId, uint256 round, address miner);
    error DisputeManagerNotValidator(uint256 runId, uint256 round, address account);
    error DisputeManagerTooManyChallenges(uint256 runId, uint256 round, address miner, uint256 max);
    error DisputeManagerWrongBond(uint256 sent, uint256 required);
    error DisputeManagerInvalidKind(uint256 kind);
    error DisputeManagerStepOutOfRange(uint256 step, uint256 stepCount);
    error DisputeManagerSeedNotDrawn(uint256 runId, uint256 round);
    error DisputeManagerChallengeWindowClosed(uint256 runId, uint256 round, uint256 checkEnd);
    error DisputeManagerJuryUnavailable(uint256 runId, uint256 round, uint256 eligible);
    error DisputeManagerUnknownChallenge(uint256 challengeId);
    error DisputeManagerChallengeClosed(uint256 challengeId);
    error DisputeManagerNotJuror(uint256 challengeId, address account);
    error DisputeManagerVoteCommitClosed(uint256 challengeId, uint256 voteCommitEnd);
    error DisputeManagerAlreadyCommitted(uint256 challengeId, address juror);
    error DisputeManagerRevealNotOpen(uint256 challengeId, uint256 voteCommitEnd);
    error DisputeManagerRevealClosed(uint256 challengeId, uint256 voteEnd);
    error DisputeManagerNoVoteCommitted(uint256 challengeId, address juror);
    error DisputeManagerAlreadyRevealed(uint256 challengeId, address juror);
    error DisputeManagerVoteMismatch(uint256 challengeId, address juror);
    error DisputeManagerVotingNotOver(uint256 challengeId, uint256 voteEnd);
    error DisputeManagerJuryDrawn(uint256 challengeId);
    error DisputeManagerReportExists(bytes32 key);
    error DisputeManagerReportNotCommitted(bytes32 evidenceHash, address reporter);
    error DisputeManagerReportTooEarly(bytes32 evidenceHash, uint256 fromBlock);
    error DisputeManagerJuryNotDue(uint256 challengeId, uint256 fromBlock);
    error DisputeManagerJuryLapsed(uint256 challengeId, uint256 lastBlock);
    error DisputeManagerJuryNotDrawn(uint256 challengeId, uint256 lastDrawBlock);
    error DisputeManagerNothingOwed(address account);

    /// @notice Commits a report (DESIGN §6 v2): `key` = reportKey(evidenceHash, reporter, salt). Every
    /// fraud proof and challenge below is its reveal: it names the salt, is sent by the reporter, and
    /// lands in a later block than the commitment; each commitment is used once. The evidence hash is
    /// the one the proof or challenge computes (see `Evidence`). Copying a reveal from the mempool earns
    /// nothing: the copier has no commitment of its own from an earlier block.
    function commitReport(bytes32 key) external;

    /// @notice keccak256(abi.encode(evidenceHash, reporter, salt)).
    function reportKey(bytes32 evidenceHash, address reporter, bytes32 salt) external pure returns (bytes32);

    /// @notice The block a report key was committed in; 0 if none (or used).
    function reportCommittedAt(bytes32 key) external view returns (uint256);

    /// @notice Slashes `miner` at once: two consecutive proven leaves (`a.step + 1 == b.step`, same lane)
    /// where a.paramsAfterHash != b.paramsBeforeHash. `c` must be the miner's commitment in `round`.
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
    ) external;

    /// @notice Slashes `miner` at once: its proven step-0 leaf starts from params other than the
    /// committed baseHash.
    function proveBaseMismatch(
        uint256 runId,
        uint256 round,
        address miner,
        IRunManager.Commitment calldata c,
        StepLeaf calldata leaf,
        bytes32[] calldata proof,
        bytes32 salt
    ) external;

    /// @notice Slashes the signer of `message` at once: its proven leaf for that step holds a different
    /// outputHash (toStage = fromStage + 1) or inputGradHash (toStage = fromStage - 1).
    function proveEquivocation(
        TensorMessage calldata message,
        bytes calldata signature,
        IRunManager.Commitment calldata c,
        StepLeaf calldata leaf,
        bytes32[] calldata proof,
        bytes32 salt
    ) external;

    /// @notice Slashes `miner` at once: a leaf proven under its root whose runId, round, miner, stage
    /// or step (>= stepCount) does not match the commitment.
    function proveMalformed(
        uint256 runId,
        uint256 round,
        address miner,
        IRunManager.Commitment calldata c,
        StepLeaf calldata leaf,
        bytes32[] calldata proof,
        bytes32 salt
    ) external;

    /// @notice Opens a jury dispute claiming the proven `leaf` was computed wrongly. Send exactly
    /// challengeBond; only a validator of the round's snapshot may file. The jury is drawn later by
    /// `drawJury`, from the hash of a block after this one.
    function challengeWrongResult(
        uint256 runId,
        uint256 round,
        address miner,
        IRunManager.Commitment calldata c,
        StepLeaf calldata leaf,
        bytes32[] calldata proof,
        bytes32 salt
    ) external payable returns (uint256 challengeId);

    /// @notice Opens a jury dispute claiming the miner did not serve step `step` (leaf, proof or
    /// artifacts), or, with `step == c.stepCount`, the round's update (its delta, verified against
    /// the committed deltaHash). Send exactly challengeBond.
    function challengeUnavailable(
        uint256 runId,
        uint256 round,
        address miner,
        IRunManager.Commitment calldata c,
        uint256 step,
        bytes32 salt
    ) external payable returns (uint256 challengeId);

    /// @notice Draws the challenge's jury (anyone, once its seed block is mined and for JURY_DRAW_BLOCKS
    /// blocks after): min(jurorCount, eligible) validators of the round's snapshot, drawn independently
    /// and without replacement from keccak256(blockhash(drawBlock), challengeId, draw), excluding both
    /// parties and earlier jurors. Votes are committed until max(the round's voteCommitEnd, now +
    /// its commit span), then revealed for the round's reveal span.
    function drawJury(uint256 challengeId) external returns (address[] memory jurors);

    /// @notice A drawn juror commits keccak256(abi.encodePacked(bool guilty, bytes32 salt, address juror)).
    function commitVote(uint256 challengeId, bytes32 commitment) external;

    /// @notice A juror reveals its vote after voteCommitEnd; reverts if it does not match the commitment.
    function revealVote(uint256 challengeId, bool guilty, bytes32 salt) external;

    /// @notice Settles a dispute (anyone) after voteEnd, or earlier once every juror revealed. With
    /// fewer reveals than a majority of the seats, the first call instead makes a redraw due (once,
    /// while validators are left to draw). A challenge whose first jury was never drawn is resolved
    /// for the miner once it can no longer be; an unavailable challenge found innocent returns the
    /// bond, less the majority jurors' share, to the challenger.
    function resolve(uint256 challengeId) external;

    /// @notice Sends the caller everything credited to it.
    function withdrawPayments() external;

    // ---- views ----

    function runManager() external view returns (address);
    function stakeManager() external view returns (address);
    function challengeCount() external view returns (uint256);
    function challengeOf(uint256 challengeId) external view returns (Challenge memory);
    function jurorsOf(uint256 challengeId) external view returns (address[] memory);
    function ballotOf(uint256 challengeId, address juror) external view returns (Ballot memory);
    function owedTo(address account) external view returns (uint256);
    /// @notice Bonds of open disputes and payments owed; the contract's balance equals their sum.
    function totals() external view returns (uint256 totalBonds, uint256 totalOwed);
    /// @notice Whether `evidenceHash` already backs a dispute or fraud proof.
    function evidenceUsed(bytes32 evidenceHash) external view returns (bool);
    /// @notice EIP-712 digest of a TensorMessage under this contract's domain.
    function tensorMessageDigest(TensorMessage calldata message) external view returns (bytes32);
    /// @notice The step leaf hash as used in the round trees.
    function leafHash(StepLeaf calldata leaf) external pure returns (bytes32);
    /// @notice keccak256(abi.encodePacked(guilty, salt, juror)).
    function voteCommitment(bool guilty, bytes32 salt, address juror) external pure returns (bytes32);
}
