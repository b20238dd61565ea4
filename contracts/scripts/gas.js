// Gas of every protocol action on the Hardhat network, printed as a markdown table.
//   npm run gas            (= npx hardhat run scripts/gas.js)
// The scenario: a governed run with 5 miners (2 stages) and 5 validators; honest rounds, a multi-round
// claim, two jury disputes, the four fraud proofs, a governance proposal, unbonding and withdrawals.
const { ethers } = require("hardhat");
const { mine, time } = require("@nomicfoundation/hardhat-network-helpers");
const { runWithMembers, mineTo, mineAfter, clockOf, defaultParams } = require("../test/helpers/deploy");
const { commitHonest, drawSeed, finalizeRound } = require("../test/helpers/rounds");
const { makeLeaf, buildTree, h, voteCommitment } = require("../test/helpers/leaves");
const { reported } = require("../test/helpers/reports");

const rows = [];

async function gasOf(txPromise) {
  const tx = await txPromise;
  return (await tx.wait()).gasUsed;
}

function record(action, gas, target = "", note = "") {
  const met = target === "" ? "" : gas <= BigInt(target) ? "met" : "**missed**";
  rows.push({ action, gas, target: target === "" ? "" : `≤ ${Number(target).toLocaleString("en-US")}`, met, note });
}

async function honestRound(ctx, round, { attesters = ctx.validators, miners = ctx.miners } = {}) {
  await mineTo((await clockOf(ctx.runManager, ctx.runId, round)).start);
  const commits = {};
  for (const m of miners) commits[m.address] = await commitHonest(ctx, m, round);
  await drawSeed(ctx, round);
  for (const v of attesters) await ctx.runManager.connect(v).attest(ctx.runId, round, h(`receipts/${round}`), 2, []);
  return commits;
}

async function signTensor(ctx, signer, message) {
  const domain = {
    name: "protolearn",
    version: "1",
    chainId: (await ethers.provider.getNetwork()).chainId,
    verifyingContract: await ctx.disputeManager.getAddress(),
  };
  const types = {
    TensorMessage: ["runId", "round", "lane", "step", "fromStage", "toStage"]
      .map((name) => ({ name, type: "uint256" }))
      .concat([{ name: "tensorHash", type: "bytes32" }]),
  };
  return signer.signTypedData(domain, types, message);
}

async function main() {
  const ctx = await runWithMembers({
    governed: true,
    minerCount: 5,
    validatorCount: 5,
    params: defaultParams({ voteBlocks: 20n, unbondingBlocks: 100n }),
  });
  const { runManager, stakeManager, disputeManager, runId } = ctx;
  const [newcomerMiner, newcomerValidator] = ctx.outsiders;

  // membership
  record("stake", await gasOf(stakeManager.connect(newcomerMiner).stake(runId, { value: ethers.parseEther("2") })));
  await stakeManager.connect(newcomerValidator).stake(runId, { value: ethers.parseEther("2") });
  record("joinAsMiner", await gasOf(runManager.connect(newcomerMiner).joinAsMiner(runId, 0, "http://miner-new.local:8080")));
  record("registerValidator", await gasOf(runManager.connect(newcomerValidator).registerValidator(runId, "http://validator-new.local:8080")));

  // round 0: commits, seed, attest, finalize
  const c0 = await clockOf(runManager, runId, 0);
  await mineTo(c0.start);
  const first = await commitHonest(ctx, ctx.miners[0], 0);
  record("commit (first of a round)", (await first.tx.wait()).gasUsed, 60000);
  const second = await commitHonest(ctx, ctx.miners[1], 0);
  record("commit", (await second.tx.wait()).gasUsed, 60000);
  for (const m of ctx.miners.slice(2)) await commitHonest(ctx, m, 0);
  const seed = await drawSeed(ctx, 0);
  record("drawSeed", (await seed.tx.wait()).gasUsed);
  record("attest", await gasOf(runManager.connect(ctx.validators[0]).attest(runId, 0, h("receipts/0"), 2, [(1n << 200n) - 1n])));
  for (const v of ctx.validators.slice(1)) await runManager.connect(v).attest(runId, 0, h("receipts/0"), 2, []);
  await mineAfter(c0.voteEnd);
  record("finalize", await gasOf(runManager.finalize(runId, 0)));

  // rounds 1..6 for claims
  for (let r = 1; r <= 6; r++) {
    await honestRound(ctx, r);
    await finalizeRound(ctx, r);
  }
  const m1 = ctx.miners[1];
  record("claim, 1 round, first mint of the run's token", await gasOf(runManager.connect(m1).claim(runId, 0)), 100000,
    "one-time: creates totalSupply, its checkpoint array and the balance");
  const claimOne = await gasOf(runManager.connect(m1).claim(runId, 1));
  record("claim, 1 round", claimOne, 100000);
  record("claim, 1 round, account's first shares", await gasOf(runManager.connect(ctx.validators[0]).claim(runId, 0)), 100000,
    "creates the holder's ERC-20 balance slot (+17,100)");
  const claimMany1 = await gasOf(runManager.connect(m1).claimMany(runId, [2]));
  const claimMany4 = await gasOf(runManager.connect(m1).claimMany(runId, [3, 4, 5, 6]));
  record("claimMany, 1 round", claimMany1, 100000);
  record("claimMany, 4 rounds", claimMany4);
  const perExtra = (claimMany4 - claimMany1) / 3n;
  record("claimMany, each extra round", perExtra, 15000, "(4 rounds − 1 round) / 3");

  // next round: two jury disputes (innocent, guilty)
  const jr = (await runManager.currentRound(runId)) + 1n;
  const commits7 = await honestRound(ctx, jr, { attesters: [] }); // the check window holds the reports
  const bond = defaultParams().challengeBond;
  const m0 = ctx.miners[0];
  const h0 = commits7[m0.address];
  const challenger = ctx.validators[3]; // only validators of the round file challenges
  // every proof and challenge below is the reveal of a report committed a block before (its gas
  // is the reveal's; the commitment is this row)
  record("commitReport", await gasOf(disputeManager.connect(challenger).commitReport(h("a report key"))));
  record("challengeWrongResult", await gasOf(
    reported(disputeManager.connect(challenger)).challengeWrongResult(runId, jr, m0.address, h0.commitment, h0.leaves[1], h0.tree.proof(1), { value: bond }),
  ));
  const innocentId = await disputeManager.challengeCount();
  record("challengeUnavailable", await gasOf(
    reported(disputeManager.connect(challenger)).challengeUnavailable(runId, jr, m1.address, commits7[m1.address].commitment, 2, { value: bond }),
  ));
  const guiltyId = await disputeManager.challengeCount();
  await mineAfter((await disputeManager.challengeOf(guiltyId)).drawBlock);
  record("drawJury (3 of 7 validators)", await gasOf(disputeManager.drawJury(innocentId)));
  await disputeManager.drawJury(guiltyId);
  const salt = (id, who) => h(`salt/${id}/${who}`);
  const signers = await ethers.getSigners();
  const byAddress = (a) => signers.find((v) => v.address === a);
  let committedVote = false;
  for (const [id, guilty] of [[innocentId, false], [guiltyId, true]]) {
    for (const j of await disputeManager.jurorsOf(id)) {
      const g = await gasOf(disputeManager.connect(byAddress(j)).commitVote(id, voteCommitment(guilty, salt(id, j), j)));
      if (!committedVote) record("commitVote", g);
      committedVote = true;
    }
  }
  await mineAfter((await disputeManager.challengeOf(innocentId)).voteCommitEnd);
  let revealed = false;
  for (const [id, guilty] of [[innocentId, false], [guiltyId, true]]) {
    for (const j of await disputeManager.jurorsOf(id)) {
      const g = await gasOf(disputeManager.connect(byAddress(j)).revealVote(id, guilty, salt(id, j)));
      if (!revealed) record("revealVote", g);
      revealed = true;
    }
  }
  record("resolve (innocent, 3 jurors)", await gasOf(disputeManager.resolve(innocentId)));
  record("resolve (guilty, 3 jurors)", await gasOf(disputeManager.resolve(guiltyId)));
  await finalizeRound(ctx, jr);

  // next round: the four fraud proofs against four miners
  const fr = (await runManager.currentRound(runId)) + 1n;
  const [, , mA, mB, mC] = ctx.miners;
  await mineTo((await clockOf(runManager, runId, fr)).start);
  const broken = async (miner, mutate, { baseHash, stepCount } = {}) => {
    const stage = (await runManager.memberOf(runId, miner.address)).stage;
    const leaves = Array.from({ length: 4 }, (_, i) => makeLeaf({ runId, round: fr, miner: miner.address, stage, step: i }));
    mutate(leaves);
    const tree = buildTree(leaves);
    const c = { root: tree.root, stepCount: BigInt(stepCount ?? leaves.length), deltaHash: h("d"), baseHash: baseHash ?? leaves[0].paramsBeforeHash };
    await runManager.connect(miner).commit(runId, fr, c.root, c.stepCount, c.deltaHash, c.baseHash);
    return { leaves, tree, c };
  };
  const chain = await broken(m0, (l) => { l[2].paramsBeforeHash = h("teleport"); });
  const base = await broken(mA, () => {}, { baseHash: h("another base") });
  const equiv = await broken(mB, () => {});
  const malformed = await broken(mC, (l) => { l[3].round = fr + 1n; });
  const prover = ctx.validators[0];
  record("proveChainBreak", await gasOf(
    reported(disputeManager.connect(prover)).proveChainBreak(runId, fr, m0.address, chain.c, chain.leaves[1], chain.tree.proof(1), chain.leaves[2], chain.tree.proof(2)),
  ));
  record("proveBaseMismatch", await gasOf(
    reported(disputeManager.connect(prover)).proveBaseMismatch(runId, fr, mA.address, base.c, base.leaves[0], base.tree.proof(0)),
  ));
  const stageB = (await runManager.memberOf(runId, mB.address)).stage;
  const message = { runId, round: fr, lane: 0n, step: 1n, fromStage: stageB, toStage: stageB + 1n, tensorHash: h("lie") };
  record("proveEquivocation", await gasOf(
    reported(disputeManager.connect(prover)).proveEquivocation(message, await signTensor(ctx, mB, message), equiv.c, equiv.leaves[1], equiv.tree.proof(1)),
  ));
  record("proveMalformed", await gasOf(
    reported(disputeManager.connect(prover)).proveMalformed(runId, fr, mC.address, malformed.c, malformed.leaves[3], malformed.tree.proof(3)),
  ));
  record("withdrawPayments", await gasOf(disputeManager.connect(prover).withdrawPayments()));

  // governance: delegate, propose, vote, queue, execute
  const holders = [ctx.miners[0], ctx.miners[1], ...ctx.validators];
  for (const [i, who] of holders.entries()) {
    if ((await ctx.shares.balanceOf(who.address)) === 0n) await runManager.connect(who).claim(runId, 1);
    const g = await gasOf(ctx.shares.connect(who).delegate(who.address));
    if (i === 0) record("delegate", g);
  }
  await mine(1);
  const targets = [await runManager.getAddress()];
  const calldatas = [runManager.interface.encodeFunctionData("setParams", [runId, defaultParams({ sampleRateBps: 2000n })])];
  const description = "raise sampleRateBps to 20%";
  record("propose (setParams)", await gasOf(ctx.governor.connect(ctx.miners[0]).propose(targets, [0n], calldatas, description)));
  const proposalId = await ctx.governor.hashProposal(targets, [0n], calldatas, ethers.id(description));
  await mine(2);
  for (const [i, who] of holders.entries()) {
    const g = await gasOf(ctx.governor.connect(who).castVote(proposalId, 1));
    if (i === 0) record("castVote", g);
  }
  await mine(21);
  record("queue", await gasOf(ctx.governor.queue(targets, [0n], calldatas, ethers.id(description))));
  await time.increase(2);
  record("execute (setParams via timelock)", await gasOf(ctx.governor.execute(targets, [0n], calldatas, ethers.id(description))));

  // leaving and withdrawing
  const leaver = ctx.validators[4];
  record("deregisterValidator", await gasOf(runManager.connect(leaver).deregisterValidator(runId)));
  record("requestUnbond", await gasOf(stakeManager.connect(leaver).requestUnbond(runId, ctx.stake)));
  await mine(110);
  record("withdraw", await gasOf(stakeManager.connect(leaver).withdraw(runId)));

  const width = Math.max(...rows.map((r) => r.action.length));
  console.log(`| action${" ".repeat(width - 6)} | gas | target | |`);
  console.log(`|${"-".repeat(width + 2)}|---:|---|---|`);
  for (const r of rows) {
    const note = r.note ? ` ${r.note}` : "";
    console.log(`| ${r.action.padEnd(width)} | ${Number(r.gas).toLocaleString("en-US")} | ${r.target} | ${r.met}${note} |`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
