// Golden vectors of the protocol's fault kinds, evidence hashes and round clock, computed by the
// contracts themselves on the Hardhat network (the DisputeManager's constants and EIP-712 digest,
// the Evidence library through EvidenceHarness, RunManager.clockOf). Written to test/vectors by
// scripts/protocol-vectors.js and checked against the contracts by test/libraries/Evidence.test.js
// and test/core/RoundClock.test.js; the Java protocol module reads the same files.
const { ethers, network } = require("hardhat");
const { mine } = require("@nomicfoundation/hardhat-network-helpers");
const { prng, h } = require("./leaves");
const { defaultParams, deployProtocol, runSpec } = require("./deploy");

const SEED = 20261201;
/** A fixed key: the DisputeManager it deploys first lands at the same address on every run. */
const VECTOR_DEPLOYER_KEY = h("protolearn evidence vectors");
/** The round-clock run starts at this block, far above anything the test suite mines. */
const CLOCK_BASE_BLOCK = 5_000_000n;

const word = (rand) => ethers.hexlify(rand.bytes(32));
const addr = (rand) => ethers.getAddress(ethers.hexlify(rand.bytes(20)));
const small = (rand, n) => BigInt(rand.uint(n));

async function vectorDeployer() {
  const wallet = new ethers.Wallet(VECTOR_DEPLOYER_KEY, ethers.provider);
  await network.provider.send("hardhat_setBalance", [wallet.address, "0x56BC75E2D63100000"]);
  return wallet;
}

/** {faultKinds, tags, cases} — every evidence encoding of DisputeManager with inputs and hashes. */
async function evidenceVectors() {
  const deployer = await vectorDeployer();
  if ((await ethers.provider.getTransactionCount(deployer.address)) !== 0) {
    throw new Error("the vector deployer was used already; run on a fresh chain or snapshot");
  }
  // any non-zero manager addresses: only the constants and the EIP-712 digest are read
  const dm = await ethers.deployContract(
    "DisputeManager", ["0x0000000000000000000000000000000000000001", "0x0000000000000000000000000000000000000002"], deployer);
  const harness = await ethers.deployContract("EvidenceHarness", [], deployer);
  const [challengeTag, jurorTag] = await harness.tags();
  const faultKinds = [
    { name: "chain-break", jury: false, kind: await dm.FRAUD_CHAIN_BREAK() },
    { name: "base-mismatch", jury: false, kind: await dm.FRAUD_BASE_MISMATCH() },
    { name: "equivocation", jury: false, kind: await dm.FRAUD_EQUIVOCATION() },
    { name: "malformed", jury: false, kind: await dm.FRAUD_MALFORMED() },
    { name: "wrong-result", jury: true, kind: await dm.CHALLENGE_WRONG_RESULT() },
    { name: "unavailable", jury: true, kind: await dm.CHALLENGE_UNAVAILABLE() },
  ].map((k) => ({ ...k, kind: Number(k.kind), tag: Number(k.jury ? challengeTag + k.kind : k.kind) }));
  const statuses = {
    open: Number(await dm.STATUS_OPEN()),
    guilty: Number(await dm.STATUS_GUILTY()),
    innocent: Number(await dm.STATUS_INNOCENT()),
  };

  const rand = prng(SEED);
  const coords = (i) => ({
    runId: (i === 2 ? 2n ** 62n + small(rand, 1000) : small(rand, 1000) + 1n).toString(),
    round: (i === 2 ? 2n ** 40n + small(rand, 1000) : small(rand, 100000)).toString(),
    miner: addr(rand),
  });
  const chainBreak = [], baseMismatch = [], malformed = [], wrongResult = [], unavailable = [];
  const equivocation = [], jurorForfeit = [];
  for (let i = 0; i < 3; i++) {
    let c = coords(i);
    const leafA = word(rand), leafB = word(rand);
    chainBreak.push({ ...c, leafA, leafB, hash: await harness.chainBreak(c.runId, c.round, c.miner, leafA, leafB) });
    for (const [list, fn] of [[baseMismatch, "baseMismatch"], [malformed, "malformed"], [wrongResult, "wrongResult"]]) {
      c = coords(i);
      const leaf = word(rand);
      list.push({ ...c, leaf, hash: await harness[fn](c.runId, c.round, c.miner, leaf) });
    }
    c = coords(i);
    const step = small(rand, 1 << 20).toString();
    unavailable.push({ ...c, step, hash: await harness.unavailable(c.runId, c.round, c.miner, step) });

    const fromStage = small(rand, 8);
    const message = {
      runId: (small(rand, 1000) + 1n).toString(),
      round: small(rand, 100000).toString(),
      lane: small(rand, 64).toString(),
      step: small(rand, 1 << 16).toString(),
      fromStage: fromStage.toString(),
      toStage: (i % 2 === 0 ? fromStage + 1n : fromStage === 0n ? 1n : fromStage - 1n).toString(),
      tensorHash: word(rand),
    };
    const digest = await dm.tensorMessageDigest(message);
    equivocation.push({ message, digest, hash: await harness.equivocation(digest) });

    const challengeId = (small(rand, 100000) + 1n).toString();
    const juror = addr(rand);
    jurorForfeit.push({ challengeId, juror, hash: await harness.jurorForfeit(challengeId, juror) });
  }
  const { chainId } = await ethers.provider.getNetwork();
  return {
    seed: SEED,
    faultKinds,
    challengeStatus: statuses,
    jurorTag: Number(jurorTag),
    domain: { chainId: chainId.toString(), verifyingContract: await dm.getAddress() },
    chainBreak, baseMismatch, equivocation, malformed, wrongResult, unavailable, jurorForfeit,
  };
}

function clockJson(c) {
  return {
    round: c.round.toString(),
    start: c.start.toString(),
    commitDeadline: c.commitDeadline.toString(),
    seedBlock: c.seedBlock.toString(),
    checkEnd: c.checkEnd.toString(),
    voteCommitEnd: c.voteCommitEnd.toString(),
    voteEnd: c.voteEnd.toString(),
  };
}

/**
 * {versions, clocks}: a run created with one set of windows, changed by its governance during
 * round 2 (the new windows hold from round 3), and RunManager.clockOf for rounds 0..7.
 */
async function roundClockVectors() {
  const [, gov] = await ethers.getSigners();
  const now = BigInt(await ethers.provider.getBlockNumber());
  if (now >= CLOCK_BASE_BLOCK) throw new Error(`chain already at block ${now}`);
  await mine(CLOCK_BASE_BLOCK - now);
  const protocol = await deployProtocol();
  const { runManager } = protocol;
  const shares = await ethers.deployContract("ModelShares", ["protolearn run shares", "PLS"]);
  await shares.setMinter(await runManager.getAddress());
  const startBlock = CLOCK_BASE_BLOCK + 50n;
  const first = defaultParams({ commitBlocks: 7n, checkBlocks: 5n, voteBlocks: 5n, unbondingBlocks: 200n });
  const second = defaultParams({ commitBlocks: 12n, checkBlocks: 4n, voteBlocks: 9n, unbondingBlocks: 200n });
  const created = await (await runManager.createRun(runSpec({ startBlock }), first, await shares.getAddress(), gov.address)).wait();
  const runId = await runManager.runCount();
  const versions = [];
  const record = (receipt, params) => {
    const e = receipt.logs.map((l) => runManager.interface.parseLog(l)).find((x) => x && x.name === "ParamsSet");
    versions.push({
      fromRound: e.args.fromRound.toString(),
      anchorBlock: e.args.anchorBlock.toString(),
      commitBlocks: params.commitBlocks.toString(),
      checkBlocks: params.checkBlocks.toString(),
      voteBlocks: params.voteBlocks.toString(),
    });
  };
  record(created, first);
  const round2 = await runManager.clockOf(runId, 2);
  await mine(round2.start - BigInt(await ethers.provider.getBlockNumber()) + 3n);
  record(await (await runManager.connect(gov).setParams(runId, second)).wait(), second);
  const clocks = [];
  for (let r = 0; r < 8; r++) clocks.push(clockJson(await runManager.clockOf(runId, r)));
  return { versions, clocks };
}

module.exports = { evidenceVectors, roundClockVectors };
