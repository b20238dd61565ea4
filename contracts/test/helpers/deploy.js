// Deployment fixture shared by the tests, the gas script and (as the reference) the Java deployer:
// deploy order, constructor arguments and wiring calls exactly as docs/CONTRACTS.md §1 describes.
const { ethers } = require("hardhat");
const { mine } = require("@nomicfoundation/hardhat-network-helpers");
const { h } = require("./leaves");

const ZERO = ethers.ZeroAddress;

/** Small windows so tests move fast. unbondingBlocks must exceed commit + 2·(check + vote). */
function defaultParams(overrides = {}) {
  return {
    minMinerStake: ethers.parseEther("1"),
    minValidatorStake: ethers.parseEther("1"),
    sampleRateBps: 1000n,
    slashBps: 5000n,
    challengeBond: ethers.parseEther("0.1"),
    jurorCount: 3n,
    jurorBond: ethers.parseEther("0.2"),
    commitBlocks: 10n,
    checkBlocks: 10n,
    voteBlocks: 10n,
    sharesPerRound: ethers.parseEther("1000"),
    validatorShareBps: 2000n,
    unbondingBlocks: 60n,
    ...overrides,
  };
}

const PARAM_NAMES = Object.keys(defaultParams());

/** Param struct as a positional array (ethers accepts both; this keeps ordering explicit). */
const paramsTuple = (p) => PARAM_NAMES.map((k) => p[k]);

/** StakeManager, RunManager, DisputeManager, wired. */
async function deployProtocol() {
  const [deployer] = await ethers.getSigners();
  const stakeManager = await ethers.deployContract("StakeManager");
  const runManager = await ethers.deployContract("RunManager", [await stakeManager.getAddress()]);
  const disputeManager = await ethers.deployContract("DisputeManager", [
    await runManager.getAddress(),
    await stakeManager.getAddress(),
  ]);
  await stakeManager.setManagers(await runManager.getAddress(), await disputeManager.getAddress());
  await runManager.setDisputeManager(await disputeManager.getAddress());
  return { deployer, stakeManager, runManager, disputeManager };
}

function runSpec({ stageCount = 2, maxStepsPerRound = 16, startBlock }) {
  return {
    modelSpecHash: h("model-spec"),
    dataSpecHash: h("data-spec"),
    trainSpecHash: h("train-spec"),
    dataRoot: h("data-root"),
    initialCheckpointHash: h("initial-checkpoint"),
    stageCount: BigInt(stageCount),
    maxStepsPerRound: BigInt(maxStepsPerRound),
    startBlock: BigInt(startBlock),
  };
}

/** Deploys a ModelShares for the run, makes the RunManager its minter and creates the run. */
async function createRun(protocol, { governance, params = defaultParams(), stageCount = 2, maxStepsPerRound = 16, startDelay = 5 } = {}) {
  const shares = await ethers.deployContract("ModelShares", ["protolearn run shares", "PLS"]);
  await shares.setMinter(await protocol.runManager.getAddress());
  const startBlock = BigInt(await ethers.provider.getBlockNumber()) + BigInt(startDelay);
  const spec = runSpec({ stageCount, maxStepsPerRound, startBlock });
  const tx = await protocol.runManager.createRun(spec, params, await shares.getAddress(), governance);
  const receipt = await tx.wait();
  const event = receipt.logs.map((l) => protocol.runManager.interface.parseLog(l)).find((e) => e && e.name === "RunCreated");
  return { runId: event.args.runId, shares, spec, params, createTx: tx };
}

/** ModelShares + RunTimelock + RunGovernor for a run, wired as in docs/CONTRACTS.md §1. */
async function deployGovernance({ minDelay = 1, votingDelay = 1, votingPeriod = 20, threshold = 0, quorumPct = 4 } = {}) {
  const [deployer] = await ethers.getSigners();
  const shares = await ethers.deployContract("ModelShares", ["protolearn run shares", "PLS"]);
  const timelock = await ethers.deployContract("RunTimelock", [minDelay, [], [ZERO], deployer.address]);
  const governor = await ethers.deployContract("RunGovernor", [
    await shares.getAddress(),
    await timelock.getAddress(),
    "protolearn run governor",
    votingDelay,
    votingPeriod,
    threshold,
    quorumPct,
  ]);
  const gov = await governor.getAddress();
  await timelock.grantRole(await timelock.PROPOSER_ROLE(), gov);
  await timelock.grantRole(await timelock.CANCELLER_ROLE(), gov);
  await timelock.renounceRole(await timelock.DEFAULT_ADMIN_ROLE(), deployer.address);
  return { shares, timelock, governor };
}

/** A run governed by its own timelock and governor. */
async function createGovernedRun(protocol, { params = defaultParams(), stageCount = 2, startDelay = 5, governance = {} } = {}) {
  const { shares, timelock, governor } = await deployGovernance(governance);
  await shares.setMinter(await protocol.runManager.getAddress());
  const startBlock = BigInt(await ethers.provider.getBlockNumber()) + BigInt(startDelay);
  const spec = runSpec({ stageCount, startBlock });
  await protocol.runManager.createRun(spec, params, await shares.getAddress(), await timelock.getAddress());
  const runId = await protocol.runManager.runCount();
  return { runId, shares, timelock, governor, spec, params };
}

/** Mines until the next block is `block` (so a transaction sent now is included in `block`). */
async function mineTo(block) {
  const now = BigInt(await ethers.provider.getBlockNumber());
  const target = BigInt(block) - 1n;
  if (target > now) await mine(target - now);
}

/** Mines until the chain has passed block `block` (the next transaction lands in block + 1 or later). */
async function mineAfter(block) {
  await mineTo(BigInt(block) + 1n);
}

async function clockOf(runManager, runId, round) {
  const c = await runManager.clockOf(runId, round);
  return {
    start: c.start, commitDeadline: c.commitDeadline, seedBlock: c.seedBlock,
    checkEnd: c.checkEnd, voteCommitEnd: c.voteCommitEnd, voteEnd: c.voteEnd,
  };
}

/**
 * The common scenario: protocol + run (governance = an EOA), 2 stages, miners[0] on stage 0 and
 * miners[1] on stage 1, five validators, all staked and joined before round 0 starts; the chain is
 * at round 0's first block.
 */
async function runWithMembers({ params = defaultParams(), validatorCount = 5, minerCount = 2, stageCount = 2, governed = false } = {}) {
  const signers = await ethers.getSigners();
  const [deployer, gov] = signers;
  const miners = signers.slice(2, 2 + minerCount);
  const validators = signers.slice(8, 8 + validatorCount);
  const outsiders = signers.slice(16);
  const protocol = await deployProtocol();
  const startDelay = 10 + 2 * (minerCount + validatorCount);
  const run = governed
    ? await createGovernedRun(protocol, { params, stageCount, startDelay: startDelay + 10 })
    : await createRun(protocol, { governance: gov.address, params, stageCount, startDelay });
  const { stakeManager, runManager } = protocol;
  const stake = ethers.parseEther("2");
  for (const [i, m] of miners.entries()) {
    await stakeManager.connect(m).stake(run.runId, { value: stake });
    await runManager.connect(m).joinAsMiner(run.runId, i % stageCount, `http://miner-${i}.local:8080`);
  }
  for (const [i, v] of validators.entries()) {
    await stakeManager.connect(v).stake(run.runId, { value: stake });
    await runManager.connect(v).registerValidator(run.runId, `http://validator-${i}.local:8080`);
  }
  await mineTo(run.spec.startBlock);
  return { ...protocol, ...run, deployer, gov, miners, validators, outsiders, stake };
}

module.exports = {
  defaultParams, PARAM_NAMES, paramsTuple, deployProtocol, createRun, deployGovernance, createGovernedRun,
  runWithMembers, mineTo, mineAfter, clockOf, runSpec,
};
