// Round-level helpers: commit an honest round, draw the seed, attest, finalize.
const { ethers } = require("hardhat");
const { honestRound } = require("./leaves");
const { mineTo, mineAfter, clockOf } = require("./deploy");

/** Miner `miner` commits an honest `steps`-step round for `round`; returns the round's tree data. */
async function commitHonest(ctx, miner, round, { steps = 4, lane = 0, tag = "" } = {}) {
  const stage = (await ctx.runManager.memberOf(ctx.runId, miner.address)).stage;
  const data = honestRound({ runId: ctx.runId, round, miner: miner.address, stage, lane, steps, tag });
  const c = data.commitment;
  const tx = await ctx.runManager
    .connect(miner)
    .commit(ctx.runId, round, c.root, c.stepCount, c.deltaHash, c.baseHash);
  return { ...data, tx };
}

async function drawSeed(ctx, round) {
  const clock = await clockOf(ctx.runManager, ctx.runId, round);
  await mineAfter(clock.seedBlock);
  const tx = await ctx.runManager.drawSeed(ctx.runId, round);
  return { tx, seed: await ctx.runManager.seedOf(ctx.runId, round) };
}

async function finalizeRound(ctx, round) {
  const clock = await clockOf(ctx.runManager, ctx.runId, round);
  await mineAfter(clock.voteEnd);
  return ctx.runManager.finalize(ctx.runId, round);
}

/** Commits for every miner, draws the seed, attests by every validator, finalizes. */
async function fullRound(ctx, round, { steps = 4, attesters = ctx.validators } = {}) {
  const clock = await clockOf(ctx.runManager, ctx.runId, round);
  await mineTo(clock.start);
  const commits = [];
  for (const m of ctx.miners) commits.push(await commitHonest(ctx, m, round, { steps }));
  await drawSeed(ctx, round);
  for (const v of attesters) {
    await ctx.runManager.connect(v).attest(ctx.runId, round, ethers.id(`receipts/${round}/${v.address}`), 3, []);
  }
  await finalizeRound(ctx, round);
  return commits;
}

/** Draws challenge `id`'s jury once its seed block is mined; returns the jurors' addresses. */
async function drawJury(ctx, id, caller = ctx.deployer) {
  const ch = await ctx.disputeManager.challengeOf(id);
  await mineAfter(ch.drawBlock);
  const tx = await ctx.disputeManager.connect(caller).drawJury(id);
  return { tx, jurors: await ctx.disputeManager.jurorsOf(id) };
}

/**
 * The first k entries of the permutation JuryDraw.sample derives from `seed` over [0, n): the
 * partial Fisher-Yates shuffle, written again so the contract's draw is checked against it.
 */
function juryOrder(seed, n, k) {
  const coder = ethers.AbiCoder.defaultAbiCoder();
  const pos = new Map();
  const out = [];
  const N = BigInt(n);
  for (let i = 0n; i < BigInt(Math.min(k, n)); i++) {
    const r = BigInt(ethers.keccak256(coder.encode(["bytes32", "uint256"], [seed, i])));
    const j = i + (r % (N - i));
    const atJ = pos.has(j) ? pos.get(j) : j;
    const atI = pos.has(i) ? pos.get(i) : i;
    out.push(atJ);
    pos.set(j, atI);
  }
  return out;
}

/** The seed of a challenge's draw: keccak256(abi.encode(blockhash(drawBlock), challengeId, draw)). */
async function jurySeed(drawBlock, id, draw) {
  const block = await ethers.provider.getBlock(Number(drawBlock));
  return ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256", "uint256"], [block.hash, id, draw]));
}

module.exports = { commitHonest, drawSeed, finalizeRound, fullRound, drawJury, juryOrder, jurySeed };
