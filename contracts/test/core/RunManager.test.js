const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, mine } = require("@nomicfoundation/hardhat-network-helpers");
const {
  defaultParams, deployProtocol, createRun, runWithMembers, mineTo, mineAfter, clockOf, runSpec, PARAM_NAMES,
} = require("../helpers/deploy");
const { commitHonest, drawSeed, finalizeRound, fullRound } = require("../helpers/rounds");
const { h } = require("../helpers/leaves");
const { shouldRejectNonGovernance } = require("./RunManager.behavior");

describe("RunManager", function () {
  async function protocolFixture() {
    const signers = await ethers.getSigners();
    const protocol = await deployProtocol();
    return { ...protocol, gov: signers[1], others: signers.slice(2) };
  }

  const membersFixture = () => runWithMembers();

  describe("createRun", function () {
    it("numbers runs from 1 and records spec, shares and governance", async function () {
      const ctx = await loadFixture(protocolFixture);
      const a = await createRun(ctx, { governance: ctx.gov.address });
      const b = await createRun(ctx, { governance: ctx.gov.address });
      expect(a.runId).to.equal(1n);
      expect(b.runId).to.equal(2n);
      expect(await ctx.runManager.runCount()).to.equal(2n);
      const info = await ctx.runManager.runInfo(1);
      expect(info.shares).to.equal(await a.shares.getAddress());
      expect(info.governance).to.equal(ctx.gov.address);
      expect(info.stageCount).to.equal(2n);
      const spec = await ctx.runManager.runSpec(1);
      expect(spec.modelSpecHash).to.equal(h("model-spec"));
      expect(spec.dataRoot).to.equal(h("data-root"));
      expect(spec.initialCheckpointHash).to.equal(h("initial-checkpoint"));
    });

    it("emits RunCreated with the spec hashes", async function () {
      const ctx = await loadFixture(protocolFixture);
      const shares = await ethers.deployContract("ModelShares", ["s", "S"]);
      await shares.setMinter(await ctx.runManager.getAddress());
      const spec = runSpec({ startBlock: (await ethers.provider.getBlockNumber()) + 10 });
      await expect(ctx.runManager.createRun(spec, defaultParams(), await shares.getAddress(), ctx.gov.address))
        .to.emit(ctx.runManager, "RunCreated")
        .withArgs(
          1n, ctx.deployer.address, await shares.getAddress(), ctx.gov.address,
          spec.modelSpecHash, spec.dataSpecHash, spec.trainSpecHash, spec.dataRoot, spec.initialCheckpointHash,
          spec.stageCount, spec.maxStepsPerRound, spec.startBlock,
        )
        .and.to.emit(ctx.runManager, "ParamsSet").withArgs(1n, 0n, spec.startBlock, 0n);
    });

    it("refuses a share token it cannot mint or one already used", async function () {
      const ctx = await loadFixture(protocolFixture);
      const shares = await ethers.deployContract("ModelShares", ["s", "S"]);
      const spec = runSpec({ startBlock: (await ethers.provider.getBlockNumber()) + 10 });
      await expect(ctx.runManager.createRun(spec, defaultParams(), await shares.getAddress(), ctx.gov.address))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerSharesNotMintable");
      await shares.setMinter(await ctx.runManager.getAddress());
      await ctx.runManager.createRun(spec, defaultParams(), await shares.getAddress(), ctx.gov.address);
      await expect(ctx.runManager.createRun(spec, defaultParams(), await shares.getAddress(), ctx.gov.address))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerSharesInUse");
    });

    it("refuses an invalid spec", async function () {
      const ctx = await loadFixture(protocolFixture);
      const shares = await ethers.deployContract("ModelShares", ["s", "S"]);
      await shares.setMinter(await ctx.runManager.getAddress());
      const start = (await ethers.provider.getBlockNumber()) + 10;
      for (const [field, spec] of [
        ["stageCount", runSpec({ startBlock: start, stageCount: 0 })],
        ["stageCount", runSpec({ startBlock: start, stageCount: 65 })],
        ["maxStepsPerRound", runSpec({ startBlock: start, maxStepsPerRound: 0 })],
        ["startBlock", runSpec({ startBlock: 1 })],
      ]) {
        await expect(ctx.runManager.createRun(spec, defaultParams(), await shares.getAddress(), ctx.gov.address))
          .to.be.revertedWithCustomError(ctx.runManager, "RunManagerInvalidSpec")
          .withArgs(field, spec[field]);
      }
    });

    const outOfBounds = {
      minMinerStake: [0n, 1n, ethers.parseEther("1000000")],
      minValidatorStake: [0n, 1n, ethers.parseEther("1000000")],
      sampleRateBps: [10001n, 1n, 10000n],
      slashBps: [0n, 1n, 10000n],
      challengeBond: [0n, 1n, ethers.parseEther("1000000")],
      jurorCount: [33n, 1n, 31n],
      jurorBond: [ethers.parseEther("2"), 1n, ethers.parseEther("1")],
      commitBlocks: [0n, 1n, 1000000n],
      checkBlocks: [1n, 2n, 1000000n],
      voteBlocks: [1n, 2n, 1000000n],
      sharesPerRound: [0n, 1n, 10n ** 27n],
      validatorShareBps: [10001n, 0n, 10000n],
      unbondingBlocks: [50n, 51n, 10000000n],
    };
    it("refuses an even jurorCount: a full jury must never tie", async function () {
      const ctx = await loadFixture(protocolFixture);
      const shares = await ethers.deployContract("ModelShares", ["s", "S"]);
      await shares.setMinter(await ctx.runManager.getAddress());
      const spec = runSpec({ startBlock: (await ethers.provider.getBlockNumber()) + 10 });
      for (const even of [2n, 4n, 30n]) {
        await expect(
          ctx.runManager.createRun(spec, defaultParams({ jurorCount: even }), await shares.getAddress(), ctx.gov.address),
        )
          .to.be.revertedWithCustomError(ctx.runManager, "RunManagerJurorCountEven")
          .withArgs(even);
      }
    });

    for (const name of PARAM_NAMES) {
      it(`names ${name} when it is out of bounds`, async function () {
        const ctx = await loadFixture(protocolFixture);
        const shares = await ethers.deployContract("ModelShares", ["s", "S"]);
        await shares.setMinter(await ctx.runManager.getAddress());
        const spec = runSpec({ startBlock: (await ethers.provider.getBlockNumber()) + 10 });
        const [bad, min, max] = outOfBounds[name];
        await expect(
          ctx.runManager.createRun(spec, defaultParams({ [name]: bad }), await shares.getAddress(), ctx.gov.address),
        )
          .to.be.revertedWithCustomError(ctx.runManager, "RunManagerParamOutOfBounds")
          .withArgs(name, bad, min, max);
      });
    }
  });

  describe("membership", function () {
    it("joins miners and validators from the next round with their endpoints", async function () {
      const ctx = await loadFixture(protocolFixture);
      const { runId } = await createRun(ctx, { governance: ctx.gov.address, startDelay: 30 });
      const [m, v] = ctx.others;
      await ctx.stakeManager.connect(m).stake(runId, { value: ethers.parseEther("1") });
      await expect(ctx.runManager.connect(m).joinAsMiner(runId, 1, "http://m:1"))
        .to.emit(ctx.runManager, "MinerJoined").withArgs(runId, m.address, 1n, 0n, "http://m:1");
      await ctx.stakeManager.connect(v).stake(runId, { value: ethers.parseEther("1") });
      await expect(ctx.runManager.connect(v).registerValidator(runId, "http://v:1"))
        .to.emit(ctx.runManager, "ValidatorRegistered").withArgs(runId, v.address, 0n, "http://v:1");
      const member = await ctx.runManager.memberOf(runId, m.address);
      expect(member.role).to.equal(1n);
      expect(member.stage).to.equal(1n);
      expect(member.endpoint).to.equal("http://m:1");
      expect(await ctx.runManager.minersAt(runId, 1, 0)).to.deep.equal([m.address]);
      expect(await ctx.runManager.validatorsAt(runId, 0)).to.deep.equal([v.address]);
      expect((await ctx.stakeManager.accountOf(runId, m.address)).required).to.equal(ethers.parseEther("1"));
    });

    it("requires the minimum stake, a valid stage and one role at a time", async function () {
      const ctx = await loadFixture(protocolFixture);
      const { runId } = await createRun(ctx, { governance: ctx.gov.address, startDelay: 30 });
      const [m] = ctx.others;
      await expect(ctx.runManager.connect(m).joinAsMiner(runId, 0, ""))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerInsufficientStake")
        .withArgs(runId, m.address, 0n, ethers.parseEther("1"));
      await ctx.stakeManager.connect(m).stake(runId, { value: ethers.parseEther("3") });
      await expect(ctx.runManager.connect(m).joinAsMiner(runId, 2, ""))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerInvalidStage").withArgs(runId, 2n);
      await ctx.runManager.connect(m).joinAsMiner(runId, 0, "");
      await expect(ctx.runManager.connect(m).registerValidator(runId, ""))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerAlreadyMember");
      await expect(ctx.runManager.connect(m).joinAsMiner(runId, 1, ""))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerAlreadyMember");
    });

    it("keeps per-round snapshots when members join and leave", async function () {
      const ctx = await loadFixture(membersFixture);
      const [v0, v1, v2, v3, v4] = ctx.validators;
      const round0 = [...(await ctx.runManager.validatorsAt(ctx.runId, 0))];
      expect(round0).to.have.members([v0, v1, v2, v3, v4].map((v) => v.address));
      await expect(ctx.runManager.connect(v1).deregisterValidator(ctx.runId))
        .to.emit(ctx.runManager, "ValidatorDeregistered").withArgs(ctx.runId, v1.address, 1n);
      const newcomer = ctx.outsiders[0];
      await ctx.stakeManager.connect(newcomer).stake(ctx.runId, { value: ethers.parseEther("1") });
      await ctx.runManager.connect(newcomer).registerValidator(ctx.runId, "");
      expect([...(await ctx.runManager.validatorsAt(ctx.runId, 0))]).to.deep.equal(round0);
      const round1 = [...(await ctx.runManager.validatorsAt(ctx.runId, 1))];
      expect(round1).to.have.members([v0, v2, v3, v4, newcomer].map((v) => v.address));
      expect(await ctx.runManager.validatorCountAt(ctx.runId, 1)).to.equal(5n);
      expect(await ctx.runManager.isValidatorIn(ctx.runId, 0, v1.address)).to.equal(true);
      expect(await ctx.runManager.isValidatorIn(ctx.runId, 1, v1.address)).to.equal(false);
      expect(await ctx.runManager.isValidatorIn(ctx.runId, 1, newcomer.address)).to.equal(true);
      await expect(ctx.runManager.validatorAt(ctx.runId, 1, 5))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerIndexOutOfRange").withArgs(5n, 5n);

      await expect(ctx.runManager.connect(ctx.miners[0]).leaveAsMiner(ctx.runId))
        .to.emit(ctx.runManager, "MinerLeft").withArgs(ctx.runId, ctx.miners[0].address, 0n, 1n);
      expect(await ctx.runManager.minerCountAt(ctx.runId, 0, 0)).to.equal(1n);
      expect(await ctx.runManager.minerCountAt(ctx.runId, 0, 1)).to.equal(0n);
      expect((await ctx.stakeManager.accountOf(ctx.runId, ctx.miners[0].address)).required).to.equal(0n);
    });

    it("updates endpoints", async function () {
      const ctx = await loadFixture(membersFixture);
      await expect(ctx.runManager.connect(ctx.miners[0]).setEndpoint(ctx.runId, "http://new:9"))
        .to.emit(ctx.runManager, "EndpointSet").withArgs(ctx.runId, ctx.miners[0].address, "http://new:9");
      expect((await ctx.runManager.memberOf(ctx.runId, ctx.miners[0].address)).endpoint).to.equal("http://new:9");
      await expect(ctx.runManager.connect(ctx.outsiders[0]).setEndpoint(ctx.runId, "x"))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerNotMember");
    });
  });

  describe("round clock", function () {
    it("follows the documented formulas", async function () {
      const ctx = await loadFixture(membersFixture);
      const start = ctx.spec.startBlock;
      const c = await clockOf(ctx.runManager, ctx.runId, 2);
      const T = 30n;
      expect(c.start).to.equal(start + 2n * T);
      expect(c.commitDeadline).to.equal(c.start + 9n);
      expect(c.seedBlock).to.equal(c.start + 10n);
      expect(c.checkEnd).to.equal(c.commitDeadline + 10n);
      expect(c.voteCommitEnd).to.equal(c.checkEnd + 5n);
      expect(c.voteEnd).to.equal(c.start + T - 1n);
      expect(await ctx.runManager.currentRound(ctx.runId)).to.equal(0n);
      await mineTo(c.start);
      await mine(1);
      expect(await ctx.runManager.currentRound(ctx.runId)).to.equal(2n);
      expect(await ctx.runManager.nextRound(ctx.runId)).to.equal(3n);
    });

    it("re-anchors a clock change at the next round boundary and keeps past rounds", async function () {
      const ctx = await loadFixture(membersFixture);
      const before1 = await clockOf(ctx.runManager, ctx.runId, 1);
      const before0 = await clockOf(ctx.runManager, ctx.runId, 0);
      await mine(3);
      await expect(ctx.runManager.connect(ctx.gov).setParams(ctx.runId, defaultParams({ commitBlocks: 20n, unbondingBlocks: 100n })))
        .to.emit(ctx.runManager, "ParamsSet").withArgs(ctx.runId, 1n, before1.start, 1n);
      expect(await clockOf(ctx.runManager, ctx.runId, 0)).to.deep.equal(before0);
      const after1 = await clockOf(ctx.runManager, ctx.runId, 1);
      expect(after1.start).to.equal(before1.start);
      expect(after1.commitDeadline).to.equal(before1.start + 19n);
      expect((await clockOf(ctx.runManager, ctx.runId, 2)).start).to.equal(before1.start + 40n);
      expect((await ctx.runManager.paramsAt(ctx.runId, 0)).commitBlocks).to.equal(10n);
      expect((await ctx.runManager.paramsAt(ctx.runId, 1)).commitBlocks).to.equal(20n);
      // a second change in the same round replaces the pending version
      await ctx.runManager.connect(ctx.gov).setParams(ctx.runId, defaultParams({ commitBlocks: 15n, unbondingBlocks: 100n }));
      expect((await ctx.runManager.runInfo(ctx.runId)).paramsVersions).to.equal(2n);
      expect((await clockOf(ctx.runManager, ctx.runId, 1)).commitDeadline).to.equal(before1.start + 14n);
      expect(await ctx.runManager.currentRound(ctx.runId)).to.equal(0n);
      // round numbering continues across the boundary
      await mineTo(before1.start);
      await mine(1);
      expect(await ctx.runManager.currentRound(ctx.runId)).to.equal(1n);
      await mineTo(before1.start + 35n);
      await mine(1);
      expect(await ctx.runManager.currentRound(ctx.runId)).to.equal(2n);
      // commits of round 0 that could not happen before stay closed; round 2 follows the new clock
      const c2 = await clockOf(ctx.runManager, ctx.runId, 2);
      await commitHonest(ctx, ctx.miners[0], 2);
      expect(c2.commitDeadline - c2.start).to.equal(14n);
    });

    it("applies reward parameters of the round being finalized", async function () {
      const ctx = await loadFixture(membersFixture);
      await commitHonest(ctx, ctx.miners[0], 0);
      await ctx.runManager.connect(ctx.gov).setParams(ctx.runId, defaultParams({ sharesPerRound: 7n }));
      await drawSeed(ctx, 0);
      await finalizeRound(ctx, 0);
      const info = await ctx.runManager.roundInfo(ctx.runId, 0);
      expect(info.sharesPerRound).to.equal(ethers.parseEther("1000"));
      await fullRound(ctx, 1);
      expect((await ctx.runManager.roundInfo(ctx.runId, 1)).sharesPerRound).to.equal(7n);
    });
  });

  describe("commit", function () {
    it("stores one word and emits the fields", async function () {
      const ctx = await loadFixture(membersFixture);
      const { commitment: c, tx } = await commitHonest(ctx, ctx.miners[1], 0, { steps: 5 });
      await expect(tx)
        .to.emit(ctx.runManager, "Committed")
        .withArgs(ctx.runId, 0n, ctx.miners[1].address, c.root, 5n, c.deltaHash, c.baseHash);
      const info = await ctx.runManager.commitmentOf(ctx.runId, 0, ctx.miners[1].address);
      expect(info.committed).to.equal(true);
      expect(info.stage).to.equal(1n);
      expect(info.stepCount).to.equal(5n);
      expect(await ctx.runManager.commitmentMatches(ctx.runId, 0, ctx.miners[1].address, c)).to.equal(true);
      expect(
        await ctx.runManager.commitmentMatches(ctx.runId, 0, ctx.miners[1].address, { ...c, deltaHash: h("x") }),
      ).to.equal(false);
      expect((await ctx.runManager.roundInfo(ctx.runId, 0)).acceptedSteps).to.equal(5n);
    });

    it("refuses committing twice", async function () {
      const ctx = await loadFixture(membersFixture);
      const { commitment: c } = await commitHonest(ctx, ctx.miners[0], 0);
      await expect(
        ctx.runManager.connect(ctx.miners[0]).commit(ctx.runId, 0, c.root, c.stepCount, c.deltaHash, c.baseHash),
      )
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerAlreadyCommitted")
        .withArgs(ctx.runId, 0n, ctx.miners[0].address);
    });

    it("refuses a late or an early commit", async function () {
      const ctx = await loadFixture(membersFixture);
      const c0 = await clockOf(ctx.runManager, ctx.runId, 0);
      await mineAfter(c0.commitDeadline);
      await expect(commitHonest(ctx, ctx.miners[0], 0))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerCommitWindowClosed")
        .withArgs(ctx.runId, 0n, c0.commitDeadline);
      const c1 = await clockOf(ctx.runManager, ctx.runId, 1);
      await expect(commitHonest(ctx, ctx.miners[0], 1))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerCommitWindowNotOpen")
        .withArgs(ctx.runId, 1n, c1.start);
    });

    it("accepts a commit in the last block of the window", async function () {
      const ctx = await loadFixture(membersFixture);
      const c0 = await clockOf(ctx.runManager, ctx.runId, 0);
      await mineTo(c0.commitDeadline);
      const { tx } = await commitHonest(ctx, ctx.miners[0], 0);
      expect((await tx.wait()).blockNumber).to.equal(Number(c0.commitDeadline));
    });

    it("refuses a commit for a stage or round the account does not serve", async function () {
      const ctx = await loadFixture(membersFixture);
      // a validator is no miner
      await expect(commitHonest(ctx, ctx.validators[0], 0))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerNotMinerInRound");
      // a miner that switches to another stage serves it only from the next round
      await ctx.runManager.connect(ctx.miners[0]).leaveAsMiner(ctx.runId);
      await ctx.runManager.connect(ctx.miners[0]).joinAsMiner(ctx.runId, 1, "");
      await expect(commitHonest(ctx, ctx.miners[0], 0))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerNotMinerInRound")
        .withArgs(ctx.runId, 0n, ctx.miners[0].address);
      const c1 = await clockOf(ctx.runManager, ctx.runId, 1);
      await mineTo(c1.start);
      await commitHonest(ctx, ctx.miners[0], 1);
      expect((await ctx.runManager.commitmentOf(ctx.runId, 1, ctx.miners[0].address)).stage).to.equal(1n);
    });

    it("bounds the step count by maxStepsPerRound", async function () {
      const ctx = await loadFixture(membersFixture);
      const r = h("root");
      await expect(ctx.runManager.connect(ctx.miners[0]).commit(ctx.runId, 0, r, 0, r, r))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerInvalidStepCount").withArgs(0n, 16n);
      await expect(ctx.runManager.connect(ctx.miners[0]).commit(ctx.runId, 0, r, 17, r, r))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerInvalidStepCount").withArgs(17n, 16n);
    });

    it("refuses commits to an unknown run", async function () {
      const ctx = await loadFixture(membersFixture);
      const r = h("root");
      await expect(ctx.runManager.connect(ctx.miners[0]).commit(9, 0, r, 1, r, r))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerUnknownRun").withArgs(9n);
    });
  });

  describe("seed", function () {
    it("is keccak256(blockhash(seedBlock), runId, round), drawn once after the seed block", async function () {
      const ctx = await loadFixture(membersFixture);
      const c = await clockOf(ctx.runManager, ctx.runId, 0);
      await mineTo(c.seedBlock);
      await expect(ctx.runManager.drawSeed(ctx.runId, 0))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerSeedNotReady")
        .withArgs(ctx.runId, 0n, c.seedBlock + 1n);
      const block = await ethers.provider.getBlock(Number(c.seedBlock));
      const expected = ethers.solidityPackedKeccak256(["bytes32", "uint256", "uint256"], [block.hash, ctx.runId, 0]);
      await expect(ctx.runManager.drawSeed(ctx.runId, 0))
        .to.emit(ctx.runManager, "SeedDrawn").withArgs(ctx.runId, 0n, expected, c.seedBlock);
      expect(await ctx.runManager.seedOf(ctx.runId, 0)).to.equal(expected);
      await expect(ctx.runManager.drawSeed(ctx.runId, 0))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerSeedAlreadyDrawn");
    });

    it("cannot be drawn once the seed block's hash is gone (attack: the late draw picks its seed)", async function () {
      // before v2 a draw past 256 blocks took the previous block's hash: whoever called chose the
      // seed, and so the sampled steps, by choosing the block to call in
      const ctx = await loadFixture(membersFixture);
      const c = await clockOf(ctx.runManager, ctx.runId, 0);
      // the last block a seed may be drawn in: the end of the check window (it serves nothing later)
      await mineTo(c.checkEnd);
      await ctx.runManager.drawSeed(ctx.runId, 0); // mined in checkEnd: still in time
      const c1 = await clockOf(ctx.runManager, ctx.runId, 1);
      await mineAfter(c1.checkEnd);
      await expect(ctx.runManager.drawSeed(ctx.runId, 1))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerSeedExpired")
        .withArgs(ctx.runId, 1n, c1.checkEnd);
      await mineTo(c1.seedBlock + 300n);
      await expect(ctx.runManager.drawSeed(ctx.runId, 1))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerSeedExpired")
        .withArgs(ctx.runId, 1n, c1.checkEnd);
      expect(await ctx.runManager.seedOf(ctx.runId, 1)).to.equal(ethers.ZeroHash);
    });

    it("leaves a round nobody seeded unpaid (attack: committed work that was never checked)", async function () {
      const ctx = await loadFixture(membersFixture);
      await commitHonest(ctx, ctx.miners[0], 0, { steps: 4 });
      const c = await clockOf(ctx.runManager, ctx.runId, 0);
      await mineAfter(c.voteEnd);
      await expect(ctx.runManager.finalize(ctx.runId, 0)).to.emit(ctx.runManager, "RoundFinalized");
      expect((await ctx.runManager.roundInfo(ctx.runId, 0)).sharesPerRound).to.equal(0n);
      expect(await ctx.runManager.claimable(ctx.runId, 0, ctx.miners[0].address)).to.equal(0n);
      await expect(ctx.runManager.connect(ctx.miners[0]).claim(ctx.runId, 0))
        .to.emit(ctx.runManager, "Claimed").withArgs(ctx.runId, 0n, ctx.miners[0].address, 0n, 0n);
      expect(await ctx.shares.totalSupply()).to.equal(0n);
    });
  });

  describe("attest and finalize", function () {
    it("lets a validator of the round attest once inside the check window", async function () {
      const ctx = await loadFixture(membersFixture);
      const [v] = ctx.validators;
      await commitHonest(ctx, ctx.miners[0], 0);
      await expect(ctx.runManager.connect(v).attest(ctx.runId, 0, h("receipts"), 4, []))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerSeedNotDrawn");
      await drawSeed(ctx, 0);
      await expect(ctx.runManager.connect(v).attest(ctx.runId, 0, h("receipts"), 4, []))
        .to.emit(ctx.runManager, "Attested").withArgs(ctx.runId, 0n, v.address, h("receipts"), 4n);
      await expect(ctx.runManager.connect(v).attest(ctx.runId, 0, h("receipts"), 4, []))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerAlreadyAttested");
      await expect(ctx.runManager.connect(ctx.miners[0]).attest(ctx.runId, 0, h("receipts"), 4, []))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerNotValidatorInRound");
      const att = await ctx.runManager.attestationOf(ctx.runId, 0, v.address);
      expect(att.receiptsRoot).to.equal(h("receipts"));
      expect(att.checks).to.equal(4n);
      const c = await clockOf(ctx.runManager, ctx.runId, 0);
      await mineAfter(c.checkEnd);
      await expect(ctx.runManager.connect(ctx.validators[1]).attest(ctx.runId, 0, h("r"), 1, []))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerCheckWindowClosed")
        .withArgs(ctx.runId, 0n, c.checkEnd);
    });

    it("keeps each validator's availability bitmap and bounds its length", async function () {
      const ctx = await loadFixture(membersFixture);
      const [v0, v1, v2] = ctx.validators;
      await commitHonest(ctx, ctx.miners[0], 0);
      await drawSeed(ctx, 0);
      const max = await ctx.runManager.MAX_AVAILABILITY_WORDS();
      const tooLong = Array.from({ length: Number(max) + 1 }, () => 1n);
      await expect(ctx.runManager.connect(v0).attest(ctx.runId, 0, h("r"), 1, tooLong))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerAvailabilityTooLong")
        .withArgs(max + 1n, max);
      // the refused attestation changed nothing: v0 may still attest
      expect((await ctx.runManager.attestationOf(ctx.runId, 0, v0.address)).attested).to.equal(false);
      const full = Array.from({ length: Number(max) }, (_, i) => BigInt(i + 1));
      await ctx.runManager.connect(v0).attest(ctx.runId, 0, h("r"), 1, [5n]);
      await ctx.runManager.connect(v1).attest(ctx.runId, 0, h("r"), 1, full);
      await ctx.runManager.connect(v2).attest(ctx.runId, 0, h("r"), 1, []);
      expect(await ctx.runManager.availabilityOf(ctx.runId, 0, v0.address)).to.deep.equal([5n]);
      expect(await ctx.runManager.availabilityOf(ctx.runId, 0, v1.address)).to.deep.equal(full);
      expect(await ctx.runManager.availabilityOf(ctx.runId, 0, v2.address)).to.deep.equal([]);
      expect(await ctx.runManager.availabilityOf(ctx.runId, 1, v0.address)).to.deep.equal([]);
    });

    it("finalizes once after the vote window", async function () {
      const ctx = await loadFixture(membersFixture);
      await commitHonest(ctx, ctx.miners[0], 0);
      const c = await clockOf(ctx.runManager, ctx.runId, 0);
      await mineTo(c.voteEnd);
      await expect(ctx.runManager.finalize(ctx.runId, 0))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerRoundNotOver").withArgs(ctx.runId, 0n, c.voteEnd);
      await expect(ctx.runManager.finalize(ctx.runId, 0))
        .to.emit(ctx.runManager, "RoundFinalized").withArgs(ctx.runId, 0n, 4n, 0n);
      await expect(ctx.runManager.finalize(ctx.runId, 0))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerRoundFinalized");
    });
  });

  describe("claim", function () {
    it("mints the miner and validator shares of DESIGN §7", async function () {
      const ctx = await loadFixture(membersFixture);
      const clock = await clockOf(ctx.runManager, ctx.runId, 0);
      await mineTo(clock.start);
      await commitHonest(ctx, ctx.miners[0], 0, { steps: 3 });
      await commitHonest(ctx, ctx.miners[1], 0, { steps: 5 });
      await drawSeed(ctx, 0);
      for (const v of ctx.validators.slice(0, 3)) await ctx.runManager.connect(v).attest(ctx.runId, 0, h("r"), 1, []);
      await finalizeRound(ctx, 0);
      const total = ethers.parseEther("1000");
      const minerPool = (total * 8000n) / 10000n;
      const m0 = (minerPool * 3n) / 8n;
      const v0 = (total * 2000n) / 10000n / 3n;
      expect(await ctx.runManager.claimable(ctx.runId, 0, ctx.miners[0].address)).to.equal(m0);
      await expect(ctx.runManager.connect(ctx.miners[0]).claim(ctx.runId, 0))
        .to.emit(ctx.runManager, "Claimed").withArgs(ctx.runId, 0n, ctx.miners[0].address, m0, 0n)
        .and.to.emit(ctx.shares, "Transfer").withArgs(ethers.ZeroAddress, ctx.miners[0].address, m0);
      await expect(ctx.runManager.connect(ctx.validators[0]).claim(ctx.runId, 0))
        .to.emit(ctx.runManager, "Claimed").withArgs(ctx.runId, 0n, ctx.validators[0].address, 0n, v0);
      expect(await ctx.shares.balanceOf(ctx.validators[0].address)).to.equal(v0);
      await expect(ctx.runManager.connect(ctx.validators[4]).claim(ctx.runId, 0))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerNothingToClaim");
    });

    it("refuses claiming twice or before finalization", async function () {
      const ctx = await loadFixture(membersFixture);
      await commitHonest(ctx, ctx.miners[0], 0);
      await expect(ctx.runManager.connect(ctx.miners[0]).claim(ctx.runId, 0))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerRoundNotFinalized");
      await drawSeed(ctx, 0);
      await finalizeRound(ctx, 0);
      await ctx.runManager.connect(ctx.miners[0]).claim(ctx.runId, 0);
      await expect(ctx.runManager.connect(ctx.miners[0]).claim(ctx.runId, 0))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerAlreadyClaimed")
        .withArgs(ctx.runId, 0n, ctx.miners[0].address);
      await expect(ctx.runManager.connect(ctx.miners[0]).claimMany(ctx.runId, [0]))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerAlreadyClaimed");
    });

    it("claims several rounds with one mint", async function () {
      const ctx = await loadFixture(membersFixture);
      await fullRound(ctx, 0);
      await fullRound(ctx, 1);
      await fullRound(ctx, 2);
      const m = ctx.miners[1];
      const expected = (await ctx.runManager.claimable(ctx.runId, 0, m.address)) * 3n;
      await expect(ctx.runManager.connect(m).claimMany(ctx.runId, [0, 1, 2]))
        .to.emit(ctx.runManager, "Claimed").withArgs(ctx.runId, 2n, m.address, expected / 3n, 0n);
      expect(await ctx.shares.balanceOf(m.address)).to.equal(expected);
      expect(await ctx.shares.totalSupply()).to.equal(expected);
      await expect(ctx.runManager.connect(m).claimMany(ctx.runId, [2, 3]))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerAlreadyClaimed");
    });
  });

  describe("governance", function () {
    shouldRejectNonGovernance(membersFixture);

    it("pauses and resumes commits and joins", async function () {
      const ctx = await loadFixture(membersFixture);
      await expect(ctx.runManager.connect(ctx.gov).pause(ctx.runId)).to.emit(ctx.runManager, "RunPaused");
      await expect(commitHonest(ctx, ctx.miners[0], 0))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerPaused");
      await ctx.stakeManager.connect(ctx.outsiders[0]).stake(ctx.runId, { value: ethers.parseEther("1") });
      await expect(ctx.runManager.connect(ctx.outsiders[0]).joinAsMiner(ctx.runId, 0, ""))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerPaused");
      await expect(ctx.runManager.connect(ctx.gov).pause(ctx.runId))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerPaused");
      await expect(ctx.runManager.connect(ctx.gov).resume(ctx.runId)).to.emit(ctx.runManager, "RunResumed");
      await expect(ctx.runManager.connect(ctx.gov).resume(ctx.runId))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerNotPaused");
      await commitHonest(ctx, ctx.miners[0], 0);
    });

    it("halts for good: no commits or rounds, finalized claims and withdrawals still work", async function () {
      const ctx = await loadFixture(membersFixture);
      await fullRound(ctx, 0);
      // round 1: commits closed before the halt, so the round may still finish
      const c1 = await clockOf(ctx.runManager, ctx.runId, 1);
      await mineTo(c1.start);
      await commitHonest(ctx, ctx.miners[0], 1);
      await mineAfter(c1.commitDeadline);
      await expect(ctx.runManager.connect(ctx.gov).halt(ctx.runId))
        .to.emit(ctx.runManager, "RunHalted").withArgs(ctx.runId, 2n);
      await expect(ctx.runManager.connect(ctx.gov).halt(ctx.runId))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerHalted");
      await drawSeed(ctx, 1);
      await finalizeRound(ctx, 1);
      const c2 = await clockOf(ctx.runManager, ctx.runId, 2);
      await mineTo(c2.start);
      await expect(commitHonest(ctx, ctx.miners[1], 2))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerRoundHalted").withArgs(ctx.runId, 2n);
      await mineAfter(c2.seedBlock);
      await expect(ctx.runManager.drawSeed(ctx.runId, 2))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerRoundHalted");
      await mineAfter(c2.voteEnd);
      await expect(ctx.runManager.finalize(ctx.runId, 2))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerRoundHalted");
      await expect(ctx.runManager.connect(ctx.outsiders[0]).registerValidator(ctx.runId, ""))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerHalted");
      // claims of finalized rounds
      await ctx.runManager.connect(ctx.miners[0]).claimMany(ctx.runId, [0, 1]);
      await ctx.runManager.connect(ctx.validators[0]).claim(ctx.runId, 0);
      // members leave and their stake walks out after unbonding
      const m = ctx.miners[1];
      await ctx.runManager.connect(m).leaveAsMiner(ctx.runId);
      await ctx.stakeManager.connect(m).requestUnbond(ctx.runId, ctx.stake);
      await mine(60);
      await expect(ctx.stakeManager.connect(m).withdraw(ctx.runId)).to.changeEtherBalance(m, ctx.stake);
    });

    it("halts the current round when its commit window is still open", async function () {
      const ctx = await loadFixture(membersFixture);
      await commitHonest(ctx, ctx.miners[0], 0);
      await expect(ctx.runManager.connect(ctx.gov).halt(ctx.runId))
        .to.emit(ctx.runManager, "RunHalted").withArgs(ctx.runId, 0n);
      await expect(commitHonest(ctx, ctx.miners[1], 0))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerRoundHalted");
      const info = await ctx.runManager.runInfo(ctx.runId);
      expect(info.halted).to.equal(true);
      expect(info.haltedFromRound).to.equal(0n);
    });
  });

  describe("DisputeManager hooks", function () {
    it("are closed to everyone else", async function () {
      const ctx = await loadFixture(membersFixture);
      const [x] = ctx.outsiders;
      // each call is made only when awaited: a rejected promise left waiting is an uncaught error
      for (const call of [
        () => ctx.runManager.connect(x).convict(ctx.runId, 0, x.address),
        () => ctx.runManager.connect(x).disputeOpened(ctx.runId, 0),
        () => ctx.runManager.connect(x).disputeClosed(ctx.runId, 0),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(ctx.runManager, "RunManagerNotDisputeManager").withArgs(x.address);
      }
      await expect(ctx.runManager.connect(x).setDisputeManager(x.address))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerNotInitializer");
      await expect(ctx.runManager.setDisputeManager(x.address))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerAlreadyInitialized");
    });
  });
});
