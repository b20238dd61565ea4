const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, mine, time } = require("@nomicfoundation/hardhat-network-helpers");
const { runWithMembers, defaultParams, mineTo, clockOf } = require("../helpers/deploy");
const { fullRound, commitHonest } = require("../helpers/rounds");
const { shouldRejectNonGovernance } = require("../core/RunManager.behavior");

const FOR = 1;

describe("RunGovernor", function () {
  async function governedFixture() {
    const ctx = await runWithMembers({ governed: true });
    await fullRound(ctx, 0);
    // holders: both miners and every validator claim and self-delegate
    for (const who of [...ctx.miners, ...ctx.validators]) {
      await ctx.runManager.connect(who).claim(ctx.runId, 0);
      await ctx.shares.connect(who).delegate(who.address);
    }
    await mine(1);
    return ctx;
  }

  async function pass(ctx, calldata, description) {
    const targets = [await ctx.runManager.getAddress()];
    const values = [0n];
    const calldatas = [calldata];
    const descHash = ethers.id(description);
    const proposer = ctx.miners[0];
    await expect(ctx.governor.connect(proposer).propose(targets, values, calldatas, description))
      .to.emit(ctx.governor, "ProposalCreated");
    const id = await ctx.governor.hashProposal(targets, values, calldatas, descHash);
    await mine(2); // votingDelay = 1
    for (const voter of [...ctx.miners, ...ctx.validators]) await ctx.governor.connect(voter).castVote(id, FOR);
    await mine(21); // votingPeriod = 20
    expect(await ctx.governor.state(id)).to.equal(4n); // Succeeded
    await expect(ctx.governor.queue(targets, values, calldatas, descHash)).to.emit(ctx.governor, "ProposalQueued");
    await time.increase(2); // timelock minDelay = 1 s
    await expect(ctx.governor.execute(targets, values, calldatas, descHash)).to.emit(ctx.governor, "ProposalExecuted");
    return id;
  }

  it("wires the governor to the token and the timelock", async function () {
    const ctx = await loadFixture(governedFixture);
    expect(await ctx.governor.token()).to.equal(await ctx.shares.getAddress());
    expect(await ctx.governor.timelock()).to.equal(await ctx.timelock.getAddress());
    expect((await ctx.runManager.runInfo(ctx.runId)).governance).to.equal(await ctx.timelock.getAddress());
    expect(await ctx.governor.votingDelay()).to.equal(1n);
    expect(await ctx.governor.votingPeriod()).to.equal(20n);
    expect(await ctx.governor["quorumNumerator()"]()).to.equal(4n);
    expect(await ctx.governor.CLOCK_MODE()).to.equal("mode=blocknumber&from=default");
    const admin = await ctx.timelock.DEFAULT_ADMIN_ROLE();
    expect(await ctx.timelock.hasRole(admin, ctx.deployer.address)).to.equal(false);
  });

  it("changes parameters through delegate, propose, vote, queue and execute", async function () {
    const ctx = await loadFixture(governedFixture);
    const next = defaultParams({ sampleRateBps: 2500n, sharesPerRound: ethers.parseEther("10") });
    const calldata = ctx.runManager.interface.encodeFunctionData("setParams", [ctx.runId, next]);
    await pass(ctx, calldata, "raise the sample rate");
    const current = await ctx.runManager.currentRound(ctx.runId);
    const fresh = await ctx.runManager.paramsAt(ctx.runId, current + 1n);
    expect(fresh.sampleRateBps).to.equal(2500n);
    expect(fresh.sharesPerRound).to.equal(ethers.parseEther("10"));
    expect((await ctx.runManager.paramsAt(ctx.runId, current)).sampleRateBps).to.equal(1000n);
  });

  it("halts the run by vote: no more commits, finalized claims and withdrawals work", async function () {
    const ctx = await loadFixture(governedFixture);
    const worked = (await ctx.runManager.currentRound(ctx.runId)) + 1n;
    await fullRound(ctx, worked);
    const calldata = ctx.runManager.interface.encodeFunctionData("halt", [ctx.runId]);
    await pass(ctx, calldata, "switch the run off");
    const info = await ctx.runManager.runInfo(ctx.runId);
    expect(info.halted).to.equal(true);
    const round = info.haltedFromRound;
    const clock = await clockOf(ctx.runManager, ctx.runId, round);
    await mineTo(clock.start);
    await expect(commitHonest(ctx, ctx.miners[0], round))
      .to.be.revertedWithCustomError(ctx.runManager, "RunManagerRoundHalted");
    await ctx.runManager.connect(ctx.miners[0]).claim(ctx.runId, worked);
    const v = ctx.validators[0];
    await ctx.runManager.connect(v).claim(ctx.runId, worked);
    await ctx.runManager.connect(v).deregisterValidator(ctx.runId);
    await ctx.stakeManager.connect(v).requestUnbond(ctx.runId, ctx.stake);
    await mine(60);
    await expect(ctx.stakeManager.connect(v).withdraw(ctx.runId)).to.changeEtherBalance(v, ctx.stake);
  });

  it("pauses and resumes by vote", async function () {
    const ctx = await loadFixture(governedFixture);
    await pass(ctx, ctx.runManager.interface.encodeFunctionData("pause", [ctx.runId]), "pause");
    expect((await ctx.runManager.runInfo(ctx.runId)).paused).to.equal(true);
    await pass(ctx, ctx.runManager.interface.encodeFunctionData("resume", [ctx.runId]), "resume");
    expect((await ctx.runManager.runInfo(ctx.runId)).paused).to.equal(false);
  });

  it("refuses a proposal with out-of-bound parameters at execution", async function () {
    const ctx = await loadFixture(governedFixture);
    const calldata = ctx.runManager.interface.encodeFunctionData("setParams", [ctx.runId, defaultParams({ jurorCount: 0n })]);
    await expect(pass(ctx, calldata, "bad")).to.be.revertedWithCustomError(ctx.runManager, "RunManagerParamOutOfBounds")
      .withArgs("jurorCount", 0n, 1n, 31n);
  });

  describe("the timelock owns the run", function () {
    shouldRejectNonGovernance(governedFixture);
  });
});
