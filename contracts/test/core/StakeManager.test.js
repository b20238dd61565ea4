const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, mine } = require("@nomicfoundation/hardhat-network-helpers");
const { runWithMembers } = require("../helpers/deploy");

describe("StakeManager", function () {
  const fixture = () => runWithMembers();
  const ONE = ethers.parseEther("1");

  it("stakes per run and keeps totals", async function () {
    const ctx = await loadFixture(fixture);
    const [a] = ctx.outsiders;
    await expect(ctx.stakeManager.connect(a).stake(ctx.runId, { value: ONE }))
      .to.emit(ctx.stakeManager, "Staked").withArgs(ctx.runId, a.address, ONE, ONE);
    const acct = await ctx.stakeManager.accountOf(ctx.runId, a.address);
    expect(acct.staked).to.equal(ONE);
    expect(acct.deposited).to.equal(ONE);
    const [staked, unbonding] = await ctx.stakeManager.totals();
    expect(staked + unbonding).to.equal(await ethers.provider.getBalance(await ctx.stakeManager.getAddress()));
    await expect(ctx.stakeManager.connect(a).stake(ctx.runId, { value: 0 }))
      .to.be.revertedWithCustomError(ctx.stakeManager, "StakeManagerZeroAmount");
    await expect(ctx.stakeManager.connect(a).stake(7, { value: ONE }))
      .to.be.revertedWithCustomError(ctx.stakeManager, "StakeManagerUnknownRun").withArgs(7n);
  });

  it("unbonds, then withdraws by pull after unbondingBlocks", async function () {
    const ctx = await loadFixture(fixture);
    const [a] = ctx.outsiders;
    await ctx.stakeManager.connect(a).stake(ctx.runId, { value: ONE });
    const tx = await ctx.stakeManager.connect(a).requestUnbond(ctx.runId, ONE);
    const release = BigInt((await tx.wait()).blockNumber) + 60n;
    await expect(tx).to.emit(ctx.stakeManager, "UnbondRequested").withArgs(ctx.runId, a.address, ONE, ONE, release);
    await expect(ctx.stakeManager.connect(a).withdraw(ctx.runId))
      .to.be.revertedWithCustomError(ctx.stakeManager, "StakeManagerUnbondingNotDue").withArgs(ctx.runId, a.address, release);
    await mine(57); // each (even reverted) transaction is mined in its own block
    await expect(ctx.stakeManager.connect(a).withdraw(ctx.runId)) // release - 1
      .to.be.revertedWithCustomError(ctx.stakeManager, "StakeManagerUnbondingNotDue");
    await expect(ctx.stakeManager.connect(a).withdraw(ctx.runId)) // release
      .to.emit(ctx.stakeManager, "Withdrawn").withArgs(ctx.runId, a.address, ONE);
  });

  it("pays out exactly the unbonded amount", async function () {
    const ctx = await loadFixture(fixture);
    const [a] = ctx.outsiders;
    await ctx.stakeManager.connect(a).stake(ctx.runId, { value: ONE });
    await ctx.stakeManager.connect(a).requestUnbond(ctx.runId, ONE / 4n);
    await mine(60);
    await expect(ctx.stakeManager.connect(a).withdraw(ctx.runId)).to.changeEtherBalances(
      [a, ctx.stakeManager], [ONE / 4n, -(ONE / 4n)],
    );
    await expect(ctx.stakeManager.connect(a).withdraw(ctx.runId))
      .to.be.revertedWithCustomError(ctx.stakeManager, "StakeManagerNothingToWithdraw");
    expect(await ctx.stakeManager.stakeOf(ctx.runId, a.address)).to.equal((ONE * 3n) / 4n);
  });

  it("restarts the timer when more stake is queued", async function () {
    const ctx = await loadFixture(fixture);
    const [a] = ctx.outsiders;
    await ctx.stakeManager.connect(a).stake(ctx.runId, { value: ONE });
    await ctx.stakeManager.connect(a).requestUnbond(ctx.runId, ONE / 2n);
    await mine(50);
    await ctx.stakeManager.connect(a).requestUnbond(ctx.runId, ONE / 2n);
    await mine(20);
    await expect(ctx.stakeManager.connect(a).withdraw(ctx.runId))
      .to.be.revertedWithCustomError(ctx.stakeManager, "StakeManagerUnbondingNotDue");
    await mine(40);
    await expect(ctx.stakeManager.connect(a).withdraw(ctx.runId)).to.changeEtherBalance(a, ONE);
  });

  it("keeps a member's required stake from unbonding", async function () {
    const ctx = await loadFixture(fixture);
    const m = ctx.miners[0]; // staked 2, requires 1
    await expect(ctx.stakeManager.connect(m).requestUnbond(ctx.runId, ctx.stake))
      .to.be.revertedWithCustomError(ctx.stakeManager, "StakeManagerInsufficientStake")
      .withArgs(ctx.runId, m.address, ONE, ctx.stake);
    await ctx.stakeManager.connect(m).requestUnbond(ctx.runId, ONE);
    await ctx.runManager.connect(m).leaveAsMiner(ctx.runId);
    await ctx.stakeManager.connect(m).requestUnbond(ctx.runId, ONE);
    expect((await ctx.stakeManager.accountOf(ctx.runId, m.address)).unbonding).to.equal(ctx.stake);
  });

  it("is wired once and only the managers may set requirements, lock or slash", async function () {
    const ctx = await loadFixture(fixture);
    const [x] = ctx.outsiders;
    await expect(ctx.stakeManager.setManagers(x.address, x.address))
      .to.be.revertedWithCustomError(ctx.stakeManager, "StakeManagerAlreadyInitialized");
    await expect(ctx.stakeManager.connect(x).setManagers(x.address, x.address))
      .to.be.revertedWithCustomError(ctx.stakeManager, "StakeManagerNotInitializer");
    await expect(ctx.stakeManager.connect(x).setRequirement(ctx.runId, x.address, 0))
      .to.be.revertedWithCustomError(ctx.stakeManager, "StakeManagerNotRunManager").withArgs(x.address);
    await expect(ctx.stakeManager.connect(x).lock(ctx.runId, x.address))
      .to.be.revertedWithCustomError(ctx.stakeManager, "StakeManagerNotDisputeManager").withArgs(x.address);
    await expect(ctx.stakeManager.connect(x).unlock(ctx.runId, x.address))
      .to.be.revertedWithCustomError(ctx.stakeManager, "StakeManagerNotDisputeManager");
    await expect(ctx.stakeManager.connect(x).slash(ctx.runId, ctx.miners[0].address, ONE, ethers.ZeroHash))
      .to.be.revertedWithCustomError(ctx.stakeManager, "StakeManagerNotDisputeManager");
    expect(await ctx.stakeManager.runManager()).to.equal(await ctx.runManager.getAddress());
    expect(await ctx.stakeManager.disputeManager()).to.equal(await ctx.disputeManager.getAddress());
  });
});
