const { expect } = require("chai");
const { ethers, network } = require("hardhat");
const { loadFixture, mine } = require("@nomicfoundation/hardhat-network-helpers");
const { runWithMembers, mineTo, mineAfter, clockOf, defaultParams } = require("../helpers/deploy");
const { commitHonest, drawSeed, finalizeRound, drawJury, juryOrder, jurySeed } = require("../helpers/rounds");
const { makeLeaf, buildTree, h, voteCommitment } = require("../helpers/leaves");
const { reported, evidenceOf, commitReport } = require("../helpers/reports");

const BPS = 10000n;
const GUILTY = true;
const INNOCENT = false;

/** Commits `leaves` (StepLeaf objects) as `miner`'s round; returns tree + commitment. */
async function commitLeaves(ctx, miner, round, leaves, { stepCount = leaves.length, baseHash } = {}) {
  const tree = buildTree(leaves);
  const commitment = {
    root: tree.root,
    stepCount: BigInt(stepCount),
    deltaHash: h(`delta/${miner.address}/${round}`),
    baseHash: baseHash ?? leaves[0].paramsBeforeHash,
  };
  await ctx.runManager
    .connect(miner)
    .commit(ctx.runId, round, commitment.root, commitment.stepCount, commitment.deltaHash, commitment.baseHash);
  return { tree, commitment, leaves };
}

/**
 * Commits a two-step round 0 for `miner` whose chain breaks at step 1; returns its tree, commitment,
 * leaves and the arguments of the proveChainBreak that proves it.
 */
async function commitBroken(ctx, miner) {
  const leaves = leavesFor(ctx, miner, 0, 2);
  leaves[1].paramsBeforeHash = h("broken");
  const { tree, commitment } = await commitLeaves(ctx, miner, 0, leaves);
  const args = [ctx.runId, 0, miner.address, commitment, leaves[0], tree.proof(0), leaves[1], tree.proof(1)];
  return { tree, commitment, leaves, args };
}

function leavesFor(ctx, miner, round, steps, stage = 0) {
  return Array.from({ length: steps }, (_, i) =>
    makeLeaf({ runId: ctx.runId, round, miner: miner.address, stage, step: i }),
  );
}

async function signTensor(ctx, signer, message) {
  const domain = {
    name: "protolearn",
    version: "1",
    chainId: (await ethers.provider.getNetwork()).chainId,
    verifyingContract: await ctx.disputeManager.getAddress(),
  };
  const types = {
    TensorMessage: [
      { name: "runId", type: "uint256" },
      { name: "round", type: "uint256" },
      { name: "lane", type: "uint256" },
      { name: "step", type: "uint256" },
      { name: "fromStage", type: "uint256" },
      { name: "toStage", type: "uint256" },
      { name: "tensorHash", type: "bytes32" },
    ],
  };
  return signer.signTypedData(domain, types, message);
}

const slashOf = (stake, bps = 5000n) => (stake * bps) / BPS;

describe("DisputeManager", function () {
  const membersFixture = () => runWithMembers();

  async function honestRoundFixture() {
    const ctx = await runWithMembers();
    const honest = await commitHonest(ctx, ctx.miners[0], 0, { steps: 4 });
    await drawSeed(ctx, 0);
    return { ...ctx, honest };
  }

  describe("fraud proofs", function () {
    it("slashes a chain break at once and credits the prover", async function () {
      const ctx = await loadFixture(membersFixture);
      const m = ctx.miners[0];
      const leaves = leavesFor(ctx, m, 0, 4);
      leaves[2].paramsBeforeHash = h("teleported params");
      const { tree, commitment } = await commitLeaves(ctx, m, 0, leaves);
      const prover = ctx.validators[0];
      const slash = slashOf(ctx.stake);
      const tx = reported(ctx.disputeManager
        .connect(prover))
        .proveChainBreak(ctx.runId, 0, m.address, commitment, leaves[1], tree.proof(1), leaves[2], tree.proof(2));
      const evidence = ethers.keccak256(
        ethers.AbiCoder.defaultAbiCoder().encode(
          ["uint256", "uint256", "uint256", "address", "bytes32", "bytes32"],
          [0, ctx.runId, 0, m.address, tree.leafHash(1), tree.leafHash(2)],
        ),
      );
      await expect(tx)
        .to.emit(ctx.disputeManager, "FraudProven").withArgs(ctx.runId, 0n, m.address, 0n, prover.address, evidence, slash)
        .and.to.emit(ctx.stakeManager, "Slashed").withArgs(ctx.runId, m.address, evidence, slash)
        .and.to.emit(ctx.runManager, "CommitmentConvicted").withArgs(ctx.runId, 0n, m.address, 4n, 0n)
        .and.to.emit(ctx.disputeManager, "Burned").withArgs(slash / 2n);
      expect(await ctx.disputeManager.owedTo(prover.address)).to.equal(slash / 2n);
      expect(await ctx.stakeManager.stakeOf(ctx.runId, m.address)).to.equal(ctx.stake - slash);
      expect((await ctx.runManager.roundInfo(ctx.runId, 0)).acceptedSteps).to.equal(0n);
      expect(await ctx.runManager.isMinerIn(ctx.runId, 0, m.address)).to.equal(false);
      await expect(ctx.disputeManager.connect(prover).withdrawPayments()).to.changeEtherBalance(prover, slash / 2n);
      await expect(ctx.disputeManager.connect(prover).withdrawPayments())
        .to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerNothingOwed");
    });

    it("refuses replayed evidence", async function () {
      const ctx = await loadFixture(membersFixture);
      const m = ctx.miners[0];
      const leaves = leavesFor(ctx, m, 0, 3);
      leaves[1].paramsBeforeHash = h("broken");
      const { tree, commitment } = await commitLeaves(ctx, m, 0, leaves);
      const prove = (who) =>
        reported(ctx.disputeManager
          .connect(who))
          .proveChainBreak(ctx.runId, 0, m.address, commitment, leaves[0], tree.proof(0), leaves[1], tree.proof(1));
      await prove(ctx.validators[0]);
      await expect(prove(ctx.validators[1])).to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerEvidenceUsed");
      await expect(prove(ctx.validators[0])).to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerEvidenceUsed");
      expect((await ctx.stakeManager.accountOf(ctx.runId, m.address)).slashed).to.equal(slashOf(ctx.stake));
    });

    it("rejects a chain without a break, wrong proofs and wrong commitments", async function () {
      const ctx = await loadFixture(honestRoundFixture);
      const m = ctx.miners[0];
      const { tree, commitment: c, leaves } = ctx.honest;
      const dm = ctx.disputeManager;
      await expect(reported(dm).proveChainBreak(ctx.runId, 0, m.address, c, leaves[1], tree.proof(1), leaves[2], tree.proof(2)))
        .to.be.revertedWithCustomError(dm, "DisputeManagerNotFraud");
      await expect(reported(dm).proveChainBreak(ctx.runId, 0, m.address, c, leaves[1], tree.proof(2), leaves[2], tree.proof(2)))
        .to.be.revertedWithCustomError(dm, "DisputeManagerInvalidProof");
      await expect(reported(dm).proveChainBreak(ctx.runId, 0, m.address, c, leaves[1], tree.proof(1), leaves[3], tree.proof(3)))
        .to.be.revertedWithCustomError(dm, "DisputeManagerLeafMismatch").withArgs("step");
      await expect(
        reported(dm).proveChainBreak(ctx.runId, 0, m.address, { ...c, stepCount: 3n }, leaves[1], tree.proof(1), leaves[2], tree.proof(2)),
      ).to.be.revertedWithCustomError(dm, "DisputeManagerCommitmentMismatch");
    });

    it("slashes a step-0 leaf that does not start from the committed base", async function () {
      const ctx = await loadFixture(membersFixture);
      const m = ctx.miners[0];
      const leaves = leavesFor(ctx, m, 0, 2);
      const { tree, commitment } = await commitLeaves(ctx, m, 0, leaves, { baseHash: h("the real base") });
      await expect(reported(ctx.disputeManager).proveBaseMismatch(ctx.runId, 0, m.address, commitment, leaves[0], tree.proof(0)))
        .to.emit(ctx.disputeManager, "FraudProven");
      await expect(reported(ctx.disputeManager).proveBaseMismatch(ctx.runId, 0, m.address, commitment, leaves[1], tree.proof(1)))
        .to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerLeafMismatch").withArgs("step");
    });

    it("slashes a sender whose signed activations differ from its leaf (equivocation)", async function () {
      const ctx = await loadFixture(honestRoundFixture);
      const m = ctx.miners[0];
      const { tree, commitment: c, leaves } = ctx.honest;
      const message = { runId: ctx.runId, round: 0n, lane: 0n, step: 2n, fromStage: 0n, toStage: 1n, tensorHash: h("other activations") };
      const signature = await signTensor(ctx, m, message);
      expect(await ctx.disputeManager.tensorMessageDigest(message)).to.equal(
        ethers.TypedDataEncoder.hash(
          { name: "protolearn", version: "1", chainId: 31337, verifyingContract: await ctx.disputeManager.getAddress() },
          { TensorMessage: [
            { name: "runId", type: "uint256" }, { name: "round", type: "uint256" }, { name: "lane", type: "uint256" },
            { name: "step", type: "uint256" }, { name: "fromStage", type: "uint256" }, { name: "toStage", type: "uint256" },
            { name: "tensorHash", type: "bytes32" },
          ] },
          message,
        ),
      );
      await expect(reported(ctx.disputeManager.connect(ctx.miners[1])).proveEquivocation(message, signature, c, leaves[2], tree.proof(2)))
        .to.emit(ctx.disputeManager, "FraudProven")
        .withArgs(ctx.runId, 0n, m.address, 2n, ctx.miners[1].address, anyBytes32(), slashOf(ctx.stake));
    });

    it("compares gradients sent back with inputGradHash and rejects honest messages", async function () {
      const ctx = await loadFixture(membersFixture);
      const m = ctx.miners[1]; // stage 1
      const leaves = leavesFor(ctx, m, 0, 3, 1);
      const { tree, commitment: c } = await commitLeaves(ctx, m, 0, leaves);
      const honestMsg = { runId: ctx.runId, round: 0n, lane: 0n, step: 1n, fromStage: 1n, toStage: 0n, tensorHash: leaves[1].inputGradHash };
      await expect(
        reported(ctx.disputeManager).proveEquivocation(honestMsg, await signTensor(ctx, m, honestMsg), c, leaves[1], tree.proof(1)),
      ).to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerNotFraud");
      const sideways = { ...honestMsg, toStage: 3n };
      await expect(
        reported(ctx.disputeManager).proveEquivocation(sideways, await signTensor(ctx, m, sideways), c, leaves[1], tree.proof(1)),
      ).to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerInvalidDirection").withArgs(1n, 3n);
      const forged = { ...honestMsg, tensorHash: h("forged") };
      // signed by someone else: the signer has no such commitment
      await expect(
        reported(ctx.disputeManager).proveEquivocation(forged, await signTensor(ctx, ctx.miners[0], forged), c, leaves[1], tree.proof(1)),
      ).to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerCommitmentMismatch");
      await expect(
        reported(ctx.disputeManager).proveEquivocation(forged, await signTensor(ctx, m, forged), c, leaves[1], tree.proof(1)),
      ).to.emit(ctx.disputeManager, "FraudProven");
    });

    it("slashes a malformed commitment (a leaf of another round or beyond stepCount)", async function () {
      const ctx = await loadFixture(membersFixture);
      const m = ctx.miners[0];
      const leaves = leavesFor(ctx, m, 0, 3);
      leaves.push(makeLeaf({ runId: ctx.runId, round: 7, miner: m.address, step: 3 }));
      const { tree, commitment } = await commitLeaves(ctx, m, 0, leaves, { stepCount: 4 });
      await expect(reported(ctx.disputeManager).proveMalformed(ctx.runId, 0, m.address, commitment, leaves[0], tree.proof(0)))
        .to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerNotFraud");
      await expect(reported(ctx.disputeManager).proveMalformed(ctx.runId, 0, m.address, commitment, leaves[3], tree.proof(3)))
        .to.emit(ctx.disputeManager, "FraudProven");
    });

    it("refuses fraud proofs once the round is finalized", async function () {
      const ctx = await loadFixture(membersFixture);
      const m = ctx.miners[0];
      const { args } = await commitBroken(ctx, m);
      await drawSeed(ctx, 0);
      await finalizeRound(ctx, 0);
      await expect(reported(ctx.disputeManager).proveChainBreak(...args))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerRoundFinalized");
    });

    it("slashes one commitment once, however many pieces of evidence are found (attack: repeated evidence)", async function () {
      // the miner broke its chain twice and started from a wrong base: three distinct pieces of
      // evidence; with slashBps 50 % each used to take another half of what was left (1 - 0.5^3)
      const ctx = await loadFixture(membersFixture);
      const m = ctx.miners[0];
      const leaves = leavesFor(ctx, m, 0, 4);
      leaves[1].paramsBeforeHash = h("broken once");
      leaves[3].paramsBeforeHash = h("broken twice");
      const { tree, commitment } = await commitLeaves(ctx, m, 0, leaves, { baseHash: h("the real base") });
      const dm = ctx.disputeManager;
      const [p1, p2, p3] = ctx.validators;
      await expect(reported(dm.connect(p1)).proveChainBreak(ctx.runId, 0, m.address, commitment, leaves[0], tree.proof(0), leaves[1], tree.proof(1)))
        .to.emit(dm, "FraudProven");
      await expect(reported(dm.connect(p2)).proveChainBreak(ctx.runId, 0, m.address, commitment, leaves[2], tree.proof(2), leaves[3], tree.proof(3)))
        .to.be.revertedWithCustomError(dm, "DisputeManagerAlreadyConvicted").withArgs(ctx.runId, 0n, m.address);
      await expect(reported(dm.connect(p3)).proveBaseMismatch(ctx.runId, 0, m.address, commitment, leaves[0], tree.proof(0)))
        .to.be.revertedWithCustomError(dm, "DisputeManagerAlreadyConvicted");
      // nor can a jury challenge be opened against the convicted commitment
      const bond = (await ctx.runManager.paramsAt(ctx.runId, 0)).challengeBond;
      await drawSeed(ctx, 0);
      await expect(reported(dm.connect(p2)).challengeUnavailable(ctx.runId, 0, m.address, commitment, 2, { value: bond }))
        .to.be.revertedWithCustomError(dm, "DisputeManagerAlreadyConvicted");
      const acct = await ctx.stakeManager.accountOf(ctx.runId, m.address);
      expect(acct.slashed).to.equal(slashOf(ctx.stake));
      expect(await dm.owedTo(p2.address)).to.equal(0n);
      expect(await dm.owedTo(p3.address)).to.equal(0n);
    });

    it("pays a copied report nothing (attack: a thief copies the prover's reveal from the mempool)", async function () {
      // before v2 a proof paid msg.sender: a copy of the honest prover's calldata with a higher tip
      // took the reporter share and the honest transaction reverted as already used
      const ctx = await loadFixture(membersFixture);
      const m = ctx.miners[0];
      const { args } = await commitBroken(ctx, m);
      const dm = ctx.disputeManager;
      const [prover, thief] = [ctx.validators[0], ctx.outsiders[0]];
      const salt = await commitReport(dm.connect(prover), "proveChainBreak", args);
      // one block: the thief's exact copy and its own fresh commit-and-reveal, both tipped higher,
      // then the prover's reveal
      const evidence = await evidenceOf(dm, "proveChainBreak", args);
      const thiefSalt = h("thief salt");
      const high = { maxPriorityFeePerGas: ethers.parseUnits("50", "gwei"), maxFeePerGas: ethers.parseUnits("100", "gwei"), gasLimit: 1_000_000 };
      const low = { maxPriorityFeePerGas: ethers.parseUnits("1", "gwei"), maxFeePerGas: ethers.parseUnits("100", "gwei"), gasLimit: 1_000_000 };
      await network.provider.send("evm_setAutomine", [false]);
      const copy = await dm.connect(thief).proveChainBreak(...args, salt, high);
      const thiefCommit = await dm.connect(thief).commitReport(await dm.reportKey(evidence, thief.address, thiefSalt), high);
      const thiefReveal = await dm.connect(thief).proveChainBreak(...args, thiefSalt, { ...high, maxPriorityFeePerGas: ethers.parseUnits("49", "gwei") });
      const honest = await dm.connect(prover).proveChainBreak(...args, salt, low);
      await mine(1);
      await network.provider.send("evm_setAutomine", [true]);
      const status = async (tx) => (await ethers.provider.getTransactionReceipt(tx.hash)).status;
      const blockOf = async (tx) => (await ethers.provider.getTransactionReceipt(tx.hash)).blockNumber;
      expect(await blockOf(copy)).to.equal(await blockOf(honest));
      expect(await status(copy)).to.equal(0); // no commitment of the thief's with that salt
      expect(await status(thiefCommit)).to.equal(1);
      expect(await status(thiefReveal)).to.equal(0); // committed in the same block: too early
      expect(await status(honest)).to.equal(1);
      const slash = slashOf(ctx.stake);
      expect(await dm.owedTo(prover.address)).to.equal(slash / 2n);
      expect(await dm.owedTo(thief.address)).to.equal(0n);
      // the errors, one by one
      await expect(dm.connect(thief).proveChainBreak(...args, salt))
        .to.be.revertedWithCustomError(dm, "DisputeManagerEvidenceUsed");
    });

    it("refuses a reveal without an earlier commitment of the same reporter, and each commitment once", async function () {
      const ctx = await loadFixture(membersFixture);
      const m = ctx.miners[0];
      const { args } = await commitBroken(ctx, m);
      const dm = ctx.disputeManager;
      const [prover, other] = ctx.validators;
      const evidence = await evidenceOf(dm, "proveChainBreak", args);
      await expect(dm.connect(prover).proveChainBreak(...args, h("never committed")))
        .to.be.revertedWithCustomError(dm, "DisputeManagerReportNotCommitted").withArgs(evidence, prover.address);
      const salt = await commitReport(dm.connect(prover), "proveChainBreak", args);
      const key = await dm.reportKey(evidence, prover.address, salt);
      await expect(dm.connect(other).commitReport(key)).to.be.revertedWithCustomError(dm, "DisputeManagerReportExists").withArgs(key);
      await expect(dm.connect(other).proveChainBreak(...args, salt))
        .to.be.revertedWithCustomError(dm, "DisputeManagerReportNotCommitted").withArgs(evidence, other.address);
      expect(await dm.reportCommittedAt(key)).to.be.greaterThan(0n);
      await expect(dm.connect(prover).proveChainBreak(...args, salt)).to.emit(dm, "FraudProven");
      expect(await dm.reportCommittedAt(key)).to.equal(0n);
    });

    it("leaves a self-reporting cheater the net penalty (attack: report your own fraud from a second address)", async function () {
      // §9 counts the net penalty slashBps × (1 − REPORTER_SHARE_BPS): a cheater can still be first
      // to report itself, and gets the reporter share back through its second address
      const ctx = await loadFixture(membersFixture);
      const m = ctx.miners[0];
      const second = ctx.outsiders[2];
      const { args } = await commitBroken(ctx, m);
      const dm = ctx.disputeManager;
      await reported(dm.connect(second)).proveChainBreak(...args);
      const slashed = (await ctx.stakeManager.accountOf(ctx.runId, m.address)).slashed;
      const back = await dm.owedTo(second.address);
      const share = await dm.REPORTER_SHARE_BPS();
      expect(slashed).to.equal(slashOf(ctx.stake));
      expect(slashed - back).to.equal((slashed * (BPS - share)) / BPS);
      expect(slashed - back).to.be.greaterThan(0n);
    });

    it("takes the slash from unbonding stake too", async function () {
      const ctx = await loadFixture(membersFixture);
      const m = ctx.miners[0];
      await ctx.stakeManager.connect(m).stake(ctx.runId, { value: ethers.parseEther("1") });
      await ctx.stakeManager.connect(m).requestUnbond(ctx.runId, ethers.parseEther("2")); // required 1 stays
      const { args } = await commitBroken(ctx, m);
      await reported(ctx.disputeManager).proveChainBreak(...args);
      const acct = await ctx.stakeManager.accountOf(ctx.runId, m.address);
      expect(acct.slashed).to.equal(ethers.parseEther("1.5"));
      expect(acct.staked).to.equal(0n);
      expect(acct.unbonding).to.equal(ethers.parseEther("1.5"));
    });
  });

  describe("jury challenges", function () {
    async function challenged(ctx, challenger = ctx.validators[4]) {
      const { tree, commitment: c, leaves } = ctx.honest;
      const bond = (await ctx.runManager.paramsAt(ctx.runId, 0)).challengeBond;
      const tx = await reported(ctx.disputeManager
        .connect(challenger))
        .challengeWrongResult(ctx.runId, 0, ctx.miners[0].address, c, leaves[1], tree.proof(1), { value: bond });
      const id = await ctx.disputeManager.challengeCount();
      const { jurors } = await drawJury(ctx, id);
      const bySigner = ctx.validators.filter((v) => jurors.includes(v.address));
      return { tx, id, jurors: bySigner, bond, challenger };
    }

    async function vote(ctx, id, votes /* [signer, guilty][] */) {
      const salts = votes.map(([j]) => h(`salt/${id}/${j.address}`));
      for (const [i, [j, g]] of votes.entries()) {
        await ctx.disputeManager.connect(j).commitVote(id, voteCommitment(g, salts[i], j.address));
      }
      const ch = await ctx.disputeManager.challengeOf(id);
      await mineAfter(ch.voteCommitEnd);
      for (const [i, [j, g]] of votes.entries()) await ctx.disputeManager.connect(j).revealVote(id, g, salts[i]);
    }

    it("opens with a bond, locks the miner, and draws the jury from a later block's hash", async function () {
      const ctx = await loadFixture(honestRoundFixture);
      const { tree, commitment: c, leaves } = ctx.honest;
      const dm = ctx.disputeManager;
      const bond = (await ctx.runManager.paramsAt(ctx.runId, 0)).challengeBond;
      const challenger = ctx.validators[4];
      const tx = await reported(dm
        .connect(challenger))
        .challengeWrongResult(ctx.runId, 0, ctx.miners[0].address, c, leaves[1], tree.proof(1), { value: bond });
      const id = await dm.challengeCount();
      const filed = BigInt((await tx.wait()).blockNumber);
      await expect(tx).to.emit(dm, "ChallengeOpened").withArgs(id, ctx.runId, 0n, ctx.miners[0].address, challenger.address, 0n, 1n, anyBytes32(), bond, filed + 1n);
      await expect(tx).to.emit(ctx.runManager, "OpenDisputesChanged").withArgs(ctx.runId, 0n, 1n);
      expect((await ctx.stakeManager.accountOf(ctx.runId, ctx.miners[0].address)).locks).to.equal(1n);
      expect(await ethers.provider.getBalance(await dm.getAddress())).to.equal(bond);
      // nobody sits yet, and nobody can vote
      expect(await dm.jurorsOf(id)).to.deep.equal([]);
      const before = await dm.challengeOf(id);
      expect([before.draws, before.voteCommitEnd, before.voteEnd, before.drawBlock]).to.deep.equal([0n, 0n, 0n, filed + 1n]);
      await expect(dm.drawJury(id)).to.be.revertedWithCustomError(dm, "DisputeManagerJuryNotDue").withArgs(id, filed + 2n);

      const { tx: drawTx, jurors } = await drawJury(ctx, id, ctx.outsiders[0]);
      const snapshot = await ctx.runManager.validatorsAt(ctx.runId, 0);
      const seed = await jurySeed(filed + 1n, id, 1n);
      const expected = juryOrder(seed, snapshot.length, 5)
        .map((i) => snapshot[Number(i)])
        .filter((a) => a !== challenger.address && a !== ctx.miners[0].address)
        .slice(0, 3);
      expect(jurors).to.deep.equal(expected);
      const ch = await dm.challengeOf(id);
      const clock = await clockOf(ctx.runManager, ctx.runId, 0);
      expect(ch.draws).to.equal(1n);
      // drawn inside the check window: the round's own vote windows
      expect([ch.voteCommitEnd, ch.voteEnd]).to.deep.equal([clock.voteCommitEnd, clock.voteEnd]);
      await expect(drawTx).to.emit(dm, "JuryDrawn").withArgs(id, 1n, expected, clock.voteCommitEnd, clock.voteEnd);
      for (const j of jurors) expect((await ctx.stakeManager.accountOf(ctx.runId, j)).locks).to.equal(1n);
      await expect(dm.drawJury(id)).to.be.revertedWithCustomError(dm, "DisputeManagerJuryDrawn").withArgs(id);
      await expect(finalizeRound(ctx, 0))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerDisputesOpen").withArgs(ctx.runId, 0n, 1n);
    });

    it("draws the same jury whoever calls and whenever (attack: a caller picks its moment)", async function () {
      const ctx = await loadFixture(honestRoundFixture);
      const { commitment: c } = ctx.honest;
      const dm = ctx.disputeManager;
      const bond = (await ctx.runManager.paramsAt(ctx.runId, 0)).challengeBond;
      await reported(dm.connect(ctx.validators[4])).challengeUnavailable(ctx.runId, 0, ctx.miners[0].address, c, 1, { value: bond });
      const id = await dm.challengeCount();
      const ch = await dm.challengeOf(id);
      await mineAfter(ch.drawBlock);
      const seen = new Set();
      for (const [wait, who] of [[0, ctx.validators[0]], [5, ctx.miners[0]], [200, ctx.outsiders[1]]]) {
        const snap = await network.provider.send("evm_snapshot");
        if (wait) await mine(wait);
        await dm.connect(who).drawJury(id);
        seen.add((await dm.jurorsOf(id)).join());
        await network.provider.send("evm_revert", [snap]);
      }
      expect(seen.size).to.equal(1);
      // past the blockhash horizon no jury can be drawn: nobody gets to pick a later hash
      await mineAfter(ch.drawBlock + 256n);
      await expect(dm.drawJury(id)).to.be.revertedWithCustomError(dm, "DisputeManagerJuryLapsed").withArgs(id, ch.drawBlock + 256n);
    });

    it("cannot be steered by grinding challenge ids (attack: a sybil validator pair picks its jury)", async function () {
      // before v2 the jury was keccak256(seed, challengeId) plus a walk over neighbouring slots, all
      // public at filing: a pair burnt ids with bogus challenges in a run of its own until the next
      // id's jury was theirs. Now the jury hangs on the hash of the block after filing.
      const ctx = await runWithMembers({ validatorCount: 7 });
      const honest = await commitHonest(ctx, ctx.miners[0], 0);
      await drawSeed(ctx, 0);
      const dm = ctx.disputeManager;
      const attacker = ctx.validators[2]; // its sybil sits in the neighbouring slot, 3
      const bond = (await ctx.runManager.paramsAt(ctx.runId, 0)).challengeBond;
      const tx = await reported(dm.connect(attacker)).challengeUnavailable(ctx.runId, 0, ctx.miners[0].address, honest.commitment, 0, { value: bond });
      const filed = BigInt((await tx.wait()).blockNumber);
      const id = await dm.challengeCount();
      // at filing the block whose hash decides does not exist
      expect((await dm.challengeOf(id)).drawBlock).to.equal(filed + 1n);
      expect(await ethers.provider.getBlock(Number(filed + 1n))).to.equal(null);
      expect(await dm.jurorsOf(id)).to.deep.equal([]);
      const { jurors } = await drawJury(ctx, id);
      expect(jurors).to.not.include(attacker.address);
      expect(jurors.length).to.equal(3);
      // and the jury is exactly what that later hash says, not the neighbours of any slot
      const snapshot = await ctx.runManager.validatorsAt(ctx.runId, 0);
      const expected = juryOrder(await jurySeed(filed + 1n, id, 1n), snapshot.length, 5)
        .map((i) => snapshot[Number(i)])
        .filter((a) => a !== attacker.address)
        .slice(0, 3);
      expect(jurors).to.deep.equal(expected);
    });

    it("gives a 2-of-7 coalition a jury majority no more often than an independent draw (1,000 draws)", async function () {
      const harness = await (await ethers.getContractFactory("JuryDrawHarness")).deploy();
      const draws = 1000;
      // slots 3 and 4: neighbours, as sybils registered back to back are
      const [held, seen] = await harness.coalitionMajorities(ethers.id("jury draws"), 7, 3, 3, 4, draws);
      // independent draw without replacement: P(both of 2 in a 3-of-7 jury) = C(5,1)/C(7,3) = 1/7
      const p = 1 / 7;
      const sd = Math.sqrt((p * (1 - p)) / draws);
      const rate = Number(held) / draws;
      expect(Math.abs(rate - p)).to.be.lessThan(4 * sd); // 4 sigma: 0.143 ± 0.044
      // the neighbouring-slot walk it replaces gave the pair 2/7 (0.286) of juries
      expect(rate).to.be.lessThan(0.2);
      // every slot sits in 3/7 of juries
      for (const count of seen) expect(Math.abs(Number(count) / draws - 3 / 7)).to.be.lessThan(0.07);
    });

    it("requires the exact bond, a drawn seed, the check window and fresh evidence", async function () {
      const ctx = await loadFixture(honestRoundFixture);
      const { tree, commitment: c, leaves } = ctx.honest;
      const dm = ctx.disputeManager.connect(ctx.validators[4]);
      const m = ctx.miners[0].address;
      await expect(reported(dm).challengeWrongResult(ctx.runId, 0, m, c, leaves[1], tree.proof(1), { value: 1n }))
        .to.be.revertedWithCustomError(dm, "DisputeManagerWrongBond").withArgs(1n, ethers.parseEther("0.1"));
      await challenged(ctx);
      await expect(challenged(ctx)).to.be.revertedWithCustomError(dm, "DisputeManagerEvidenceUsed");
      await expect(reported(dm).challengeUnavailable(ctx.runId, 0, m, c, 5, { value: ethers.parseEther("0.1") }))
        .to.be.revertedWithCustomError(dm, "DisputeManagerStepOutOfRange").withArgs(5n, 4n);
      const clock = await clockOf(ctx.runManager, ctx.runId, 0);
      await mineAfter(clock.checkEnd);
      await expect(reported(dm).challengeUnavailable(ctx.runId, 0, m, c, 3, { value: ethers.parseEther("0.1") }))
        .to.be.revertedWithCustomError(dm, "DisputeManagerChallengeWindowClosed").withArgs(ctx.runId, 0n, clock.checkEnd);
    });

    it("challenges a miner's update as unavailable with step = stepCount, and convicts it", async function () {
      // a miner that serves its steps but not its delta: its work never enters the model, so it must
      // not be paid for the round (DESIGN §7 v2); the update is one more artifact a jury fetches
      const ctx = await loadFixture(honestRoundFixture);
      const { commitment: c } = ctx.honest;
      const m = ctx.miners[0].address;
      const bond = (await ctx.runManager.paramsAt(ctx.runId, 0)).challengeBond;
      const dm = ctx.disputeManager.connect(ctx.validators[4]);
      await expect(reported(dm).challengeUnavailable(ctx.runId, 0, m, c, 4, { value: bond }))
        .to.emit(dm, "ChallengeOpened");
      const id = await ctx.disputeManager.challengeCount();
      expect((await ctx.disputeManager.challengeOf(id)).step).to.equal(4n);
      const { jurors } = await drawJury(ctx, id);
      const bySigner = ctx.validators.filter((v) => jurors.includes(v.address));
      await vote(ctx, id, bySigner.map((j) => [j, GUILTY]));
      const ch = await ctx.disputeManager.challengeOf(id);
      await mineAfter(ch.voteEnd);
      await ctx.disputeManager.resolve(id);
      expect((await ctx.runManager.commitmentOf(ctx.runId, 0, m)).convicted).to.equal(true);
    });

    it("needs the round's seed", async function () {
      const ctx = await loadFixture(membersFixture);
      const { commitment: c } = await commitHonest(ctx, ctx.miners[0], 0);
      await expect(
        reported(ctx.disputeManager
          .connect(ctx.validators[0]))
          .challengeUnavailable(ctx.runId, 0, ctx.miners[0].address, c, 0, { value: ethers.parseEther("0.1") }),
      ).to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerSeedNotDrawn");
    });

    it("convicts on a guilty majority and pays challenger and majority jurors", async function () {
      const ctx = await loadFixture(honestRoundFixture);
      const { id, jurors, bond, challenger } = await challenged(ctx);
      const [a, b, c] = jurors;
      await vote(ctx, id, [[a, GUILTY], [b, GUILTY], [c, INNOCENT]]);
      const slash = slashOf(ctx.stake);
      await expect(ctx.disputeManager.resolve(id))
        .to.emit(ctx.disputeManager, "ChallengeResolved").withArgs(id, true, 2n, 1n, slash)
        .and.to.emit(ctx.runManager, "CommitmentConvicted");
      expect(await ctx.disputeManager.owedTo(challenger.address)).to.equal(bond + slash / 2n);
      expect(await ctx.disputeManager.owedTo(a.address)).to.equal(slash / 4n / 2n);
      expect(await ctx.disputeManager.owedTo(b.address)).to.equal(slash / 4n / 2n);
      expect(await ctx.disputeManager.owedTo(c.address)).to.equal(0n);
      expect((await ctx.disputeManager.challengeOf(id)).status).to.equal(2n);
      expect((await ctx.stakeManager.accountOf(ctx.runId, ctx.miners[0].address)).locks).to.equal(0n);
      // convicted work earns nothing
      await finalizeRound(ctx, 0);
      await expect(ctx.runManager.connect(ctx.miners[0]).claim(ctx.runId, 0))
        .to.be.revertedWithCustomError(ctx.runManager, "RunManagerCommitmentConvicted")
        .withArgs(ctx.runId, 0n, ctx.miners[0].address);
      await expect(ctx.disputeManager.resolve(id)).to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerChallengeClosed");
    });

    it("slashes once when two challenges against one commitment are both found guilty", async function () {
      const ctx = await loadFixture(honestRoundFixture);
      const { tree, commitment: c, leaves } = ctx.honest;
      const dm = ctx.disputeManager;
      const m = ctx.miners[0];
      const bond = (await ctx.runManager.paramsAt(ctx.runId, 0)).challengeBond;
      const [c1, c2] = ctx.validators.slice(3);
      await reported(dm.connect(c1)).challengeWrongResult(ctx.runId, 0, m.address, c, leaves[1], tree.proof(1), { value: bond });
      const first = await dm.challengeCount();
      await reported(dm.connect(c2)).challengeWrongResult(ctx.runId, 0, m.address, c, leaves[2], tree.proof(2), { value: bond });
      const second = await dm.challengeCount();
      await drawJury(ctx, first);
      await drawJury(ctx, second);
      const jurorsOf = async (id) => {
        const js = await dm.jurorsOf(id);
        return ctx.validators.filter((v) => js.includes(v.address));
      };
      const salt = (id, j) => h(`salt/${id}/${j.address}`);
      const j1 = await jurorsOf(first);
      const j2 = await jurorsOf(second);
      for (const j of j1) await dm.connect(j).commitVote(first, voteCommitment(GUILTY, salt(first, j), j.address));
      for (const j of j2) await dm.connect(j).commitVote(second, voteCommitment(GUILTY, salt(second, j), j.address));
      await mineAfter((await dm.challengeOf(second)).voteCommitEnd);
      // six reveals in one block: the round's reveal window is shorter than six blocks
      await network.provider.send("evm_setAutomine", [false]);
      const reveals = [];
      for (const j of j1) reveals.push(await dm.connect(j).revealVote(first, GUILTY, salt(first, j)));
      for (const j of j2) reveals.push(await dm.connect(j).revealVote(second, GUILTY, salt(second, j)));
      await mine(1);
      await network.provider.send("evm_setAutomine", [true]);
      for (const r of reveals) expect((await r.wait()).status).to.equal(1);
      const slash = slashOf(ctx.stake);
      await expect(dm.resolve(first)).to.emit(dm, "ChallengeResolved").withArgs(first, true, 3n, 0n, slash);
      await expect(dm.resolve(second)).to.emit(dm, "ChallengeResolved").withArgs(second, true, 3n, 0n, 0n);
      expect((await ctx.stakeManager.accountOf(ctx.runId, m.address)).slashed).to.equal(slash);
      // the second challenger was right: its bond comes back, and nothing more
      const jurorShare = j1.includes(c2) ? slash / 4n / 3n : 0n; // c2 may have judged the first one
      expect(await dm.owedTo(c2.address)).to.equal(bond + jurorShare);
      expect(await dm.owedTo(c1.address)).to.equal(bond + slash / 2n);
      expect((await ctx.stakeManager.accountOf(ctx.runId, m.address)).locks).to.equal(0n);
    });

    it("pays the bond to the miner and the majority on an innocent verdict", async function () {
      const ctx = await loadFixture(honestRoundFixture);
      const { id, jurors, bond } = await challenged(ctx);
      const [a, b, c] = jurors;
      await vote(ctx, id, [[a, INNOCENT], [b, INNOCENT], [c, GUILTY]]);
      await expect(ctx.disputeManager.resolve(id)).to.emit(ctx.disputeManager, "ChallengeResolved").withArgs(id, false, 1n, 2n, 0n);
      expect(await ctx.disputeManager.owedTo(ctx.miners[0].address)).to.equal(bond / 2n);
      expect(await ctx.disputeManager.owedTo(a.address)).to.equal(bond / 4n);
      expect(await ctx.stakeManager.stakeOf(ctx.runId, ctx.miners[0].address)).to.equal(ctx.stake);
      await finalizeRound(ctx, 0);
      await ctx.runManager.connect(ctx.miners[0]).claim(ctx.runId, 0);
    });

    it("favours the miner on a tie and burns the bond of a juror who does not reveal", async function () {
      const ctx = await loadFixture(honestRoundFixture);
      const { id, jurors, bond } = await challenged(ctx);
      const [a, b, c] = jurors;
      await vote(ctx, id, [[a, GUILTY], [b, INNOCENT]]);
      await expect(ctx.disputeManager.resolve(id))
        .to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerVotingNotOver");
      const ch = await ctx.disputeManager.challengeOf(id);
      await mineAfter(ch.voteEnd);
      const jurorBond = ethers.parseEther("0.2");
      await expect(ctx.disputeManager.resolve(id))
        .to.emit(ctx.disputeManager, "JurorBondForfeited").withArgs(id, c.address, jurorBond)
        .and.to.emit(ctx.disputeManager, "ChallengeResolved").withArgs(id, false, 1n, 1n, 0n);
      expect(await ctx.disputeManager.owedTo(ctx.miners[0].address)).to.equal(bond);
      expect(await ctx.stakeManager.stakeOf(ctx.runId, c.address)).to.equal(ctx.stake - jurorBond);
    });

    it("rejects a reveal that does not match the commitment", async function () {
      const ctx = await loadFixture(honestRoundFixture);
      const { id, jurors } = await challenged(ctx);
      const [a] = jurors;
      const salt = h("salt");
      await ctx.disputeManager.connect(a).commitVote(id, voteCommitment(GUILTY, salt, a.address));
      await expect(ctx.disputeManager.connect(a).revealVote(id, GUILTY, salt))
        .to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerRevealNotOpen");
      const ch = await ctx.disputeManager.challengeOf(id);
      await mineAfter(ch.voteCommitEnd);
      await expect(ctx.disputeManager.connect(a).commitVote(id, voteCommitment(GUILTY, salt, a.address)))
        .to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerVoteCommitClosed");
      await expect(ctx.disputeManager.connect(a).revealVote(id, INNOCENT, salt))
        .to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerVoteMismatch").withArgs(id, a.address);
      await expect(ctx.disputeManager.connect(a).revealVote(id, GUILTY, h("other salt")))
        .to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerVoteMismatch");
      await expect(ctx.disputeManager.connect(a).revealVote(id, GUILTY, salt))
        .to.emit(ctx.disputeManager, "VoteRevealed").withArgs(id, a.address, GUILTY);
      await expect(ctx.disputeManager.connect(a).revealVote(id, GUILTY, salt))
        .to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerAlreadyRevealed");
    });

    it("refuses votes from accounts that were not drawn", async function () {
      const ctx = await loadFixture(honestRoundFixture);
      const { id, jurors } = await challenged(ctx);
      const outsider = ctx.validators.find((v) => !jurors.includes(v));
      for (const who of [outsider, ctx.miners[0], ctx.outsiders[0]]) {
        await expect(ctx.disputeManager.connect(who).commitVote(id, h("x")))
          .to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerNotJuror").withArgs(id, who.address);
      }
      await expect(ctx.disputeManager.connect(outsider).commitVote(99, h("x")))
        .to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerUnknownChallenge");
    });

    it("never seats a party on its own jury", async function () {
      // four validators, three jurors: a validator who challenges leaves exactly the other three
      const ctx = await runWithMembers({ validatorCount: 4 });
      const honest = await commitHonest(ctx, ctx.miners[0], 0);
      await drawSeed(ctx, 0);
      for (const challenger of ctx.validators) {
        const step = ctx.validators.indexOf(challenger);
        await reported(ctx.disputeManager
          .connect(challenger))
          .challengeUnavailable(ctx.runId, 0, ctx.miners[0].address, honest.commitment, step, { value: ethers.parseEther("0.1") });
      }
      for (const [i, challenger] of ctx.validators.entries()) {
        const id = BigInt(i + 1);
        const { jurors } = await drawJury(ctx, id);
        expect(jurors).to.not.include(challenger.address);
        expect(jurors).to.not.include(ctx.miners[0].address);
        expect(jurors.length).to.equal(3);
        await expect(ctx.disputeManager.connect(challenger).commitVote(id, h("self")))
          .to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerNotJuror");
      }
    });

    it("draws fewer jurors when fewer are eligible and refuses an empty jury", async function () {
      const alone = await runWithMembers({ validatorCount: 1 });
      const first = await commitHonest(alone, alone.miners[0], 0);
      await drawSeed(alone, 0);
      await expect(
        reported(alone.disputeManager
          .connect(alone.validators[0]))
          .challengeUnavailable(alone.runId, 0, alone.miners[0].address, first.commitment, 0, { value: ethers.parseEther("0.1") }),
      ).to.be.revertedWithCustomError(alone.disputeManager, "DisputeManagerJuryUnavailable");
      const ctx = await runWithMembers({ validatorCount: 2 });
      const honest = await commitHonest(ctx, ctx.miners[0], 0);
      await drawSeed(ctx, 0);
      await reported(ctx.disputeManager
        .connect(ctx.validators[0]))
        .challengeUnavailable(ctx.runId, 0, ctx.miners[0].address, honest.commitment, 0, { value: ethers.parseEther("0.1") });
      expect((await drawJury(ctx, 1n)).jurors).to.deep.equal([ctx.validators[1].address]);
    });

    it("caps the open challenges against one commitment (attack: a burst of bogus challenges)", async function () {
      // a check window long enough for five reports, each committed and then revealed
      const ctx = await runWithMembers({ params: { ...defaultParams(), checkBlocks: 30n, unbondingBlocks: 200n } });
      ctx.honest = await commitHonest(ctx, ctx.miners[0], 0, { steps: 4 });
      await drawSeed(ctx, 0);
      const { commitment: c } = ctx.honest;
      const dm = ctx.disputeManager;
      const m = ctx.miners[0].address;
      const bond = (await ctx.runManager.paramsAt(ctx.runId, 0)).challengeBond;
      const max = await dm.MAX_OPEN_PER_COMMITMENT();
      expect(max).to.equal(4n);
      const spammer = ctx.validators[4];
      for (let step = 0n; step < max; step++) {
        await reported(dm.connect(spammer)).challengeUnavailable(ctx.runId, 0, m, c, step, { value: bond });
      }
      // a fifth, from anyone, waits until one of them is resolved
      const wrong = ctx.honest;
      await expect(
        reported(dm.connect(ctx.validators[3])).challengeWrongResult(ctx.runId, 0, m, c, wrong.leaves[1], wrong.tree.proof(1), { value: bond }),
      )
        .to.be.revertedWithCustomError(dm, "DisputeManagerTooManyChallenges")
        .withArgs(ctx.runId, 0n, m, max);
    });

    it("takes challenges only from validators of the round (attack: an outsider or a party's proxy files)", async function () {
      // before v2 anyone could file, and only msg.sender was kept off the jury: a miner's proxy
      // contract filed against an honest rival while the miner itself sat on the jury
      const ctx = await loadFixture(honestRoundFixture);
      const { tree, commitment: c, leaves } = ctx.honest;
      const dm = ctx.disputeManager;
      const bond = (await ctx.runManager.paramsAt(ctx.runId, 0)).challengeBond;
      for (const who of [ctx.outsiders[0], ctx.miners[1]]) {
        await expect(reported(dm.connect(who)).challengeWrongResult(ctx.runId, 0, ctx.miners[0].address, c, leaves[1], tree.proof(1), { value: bond }))
          .to.be.revertedWithCustomError(dm, "DisputeManagerNotValidator")
          .withArgs(ctx.runId, 0n, who.address);
        await expect(reported(dm.connect(who)).challengeUnavailable(ctx.runId, 0, ctx.miners[0].address, c, 1, { value: bond }))
          .to.be.revertedWithCustomError(dm, "DisputeManagerNotValidator");
      }
      // a validator that registers now is in the snapshot of later rounds only
      const late = ctx.outsiders[1];
      await ctx.stakeManager.connect(late).stake(ctx.runId, { value: ethers.parseEther("2") });
      await ctx.runManager.connect(late).registerValidator(ctx.runId, "http://late:1");
      await expect(reported(dm.connect(late)).challengeUnavailable(ctx.runId, 0, ctx.miners[0].address, c, 1, { value: bond }))
        .to.be.revertedWithCustomError(dm, "DisputeManagerNotValidator");
      expect(await dm.challengeCount()).to.equal(0n);
    });

    it("resolves a challenge whose jury was never drawn for the miner, once it can no longer be", async function () {
      const ctx = await loadFixture(honestRoundFixture);
      const { commitment: c } = ctx.honest;
      const dm = ctx.disputeManager;
      const bond = (await ctx.runManager.paramsAt(ctx.runId, 0)).challengeBond;
      await reported(dm.connect(ctx.validators[4])).challengeUnavailable(ctx.runId, 0, ctx.miners[0].address, c, 1, { value: bond });
      const id = await dm.challengeCount();
      const { drawBlock } = await dm.challengeOf(id);
      await expect(dm.resolve(id)).to.be.revertedWithCustomError(dm, "DisputeManagerJuryNotDrawn").withArgs(id, drawBlock + 256n);
      await mineAfter(drawBlock + 256n);
      await expect(dm.resolve(id)).to.emit(dm, "ChallengeResolved").withArgs(id, false, 0n, 0n, 0n);
      // the challenger held the round up and never had its jury drawn: its bond is the miner's
      expect(await dm.owedTo(ctx.miners[0].address)).to.equal(bond);
      expect(await dm.owedTo(ctx.validators[4].address)).to.equal(0n);
      expect((await ctx.stakeManager.accountOf(ctx.runId, ctx.miners[0].address)).locks).to.equal(0n);
      await finalizeRound(ctx, 0);
    });

    it("redraws once when too few jurors reveal (attack: a jury that stays silent)", async function () {
      // before v2 no reveals acquitted: a cheater whose jurors were offline, or bribed to stay
      // silent, went free and took half of the honest challenger's bond
      const ctx = await runWithMembers({ validatorCount: 7 });
      const honest = await commitHonest(ctx, ctx.miners[0], 0);
      await drawSeed(ctx, 0);
      const dm = ctx.disputeManager;
      const bond = (await ctx.runManager.paramsAt(ctx.runId, 0)).challengeBond;
      const challenger = ctx.validators[0];
      await reported(dm.connect(challenger)).challengeUnavailable(ctx.runId, 0, ctx.miners[0].address, honest.commitment, 2, { value: bond });
      const id = await dm.challengeCount();
      const { jurors: first } = await drawJury(ctx, id);
      const signer = (a) => ctx.validators.find((v) => v.address === a);
      // one of three reveals: no majority of the seats
      const salt = h("salt/first");
      await dm.connect(signer(first[0])).commitVote(id, voteCommitment(GUILTY, salt, first[0]));
      const ch1 = await dm.challengeOf(id);
      await mineAfter(ch1.voteCommitEnd);
      await dm.connect(signer(first[0])).revealVote(id, GUILTY, salt);
      await mineAfter(ch1.voteEnd);
      const redraw = await dm.resolve(id);
      const due = BigInt((await redraw.wait()).blockNumber) + 1n;
      await expect(redraw).to.emit(dm, "JuryRedrawDue").withArgs(id, 1n, due);
      await expect(redraw).to.not.emit(dm, "ChallengeResolved");
      expect((await dm.challengeOf(id)).status).to.equal(1n);
      await expect(dm.resolve(id)).to.be.revertedWithCustomError(dm, "DisputeManagerJuryNotDrawn");

      const { jurors: all } = await drawJury(ctx, id);
      const second = all.slice(first.length);
      expect(second.length).to.equal(3);
      for (const j of second) expect(first).to.not.include(j);
      expect(second).to.not.include(challenger.address);
      const ch2 = await dm.challengeOf(id);
      expect(ch2.draws).to.equal(2n);
      // drawn after the round's windows: a full commit span and reveal span from the draw
      const clock = await clockOf(ctx.runManager, ctx.runId, 0);
      expect(ch2.voteCommitEnd - ch2.drawBlock - 1n).to.equal(clock.voteCommitEnd - clock.checkEnd);
      expect(ch2.voteEnd - ch2.voteCommitEnd).to.equal(clock.voteEnd - clock.voteCommitEnd);
      const salts = second.map((j) => h(`salt/second/${j}`));
      for (const [i, j] of second.entries()) await dm.connect(signer(j)).commitVote(id, voteCommitment(GUILTY, salts[i], j));
      await mineAfter(ch2.voteCommitEnd);
      for (const [i, j] of second.entries()) await dm.connect(signer(j)).revealVote(id, GUILTY, salts[i]);
      await mineAfter(ch2.voteEnd);
      const jurorBond = (await ctx.runManager.paramsAt(ctx.runId, 0)).jurorBond;
      const tx = await dm.resolve(id);
      await expect(tx).to.emit(dm, "ChallengeResolved").withArgs(id, true, 4n, 0n, slashOf(ctx.stake));
      // the silent jurors of the first draw lose their juror bond
      await expect(tx).to.emit(dm, "JurorBondForfeited").withArgs(id, first[1], jurorBond);
      await expect(tx).to.emit(dm, "JurorBondForfeited").withArgs(id, first[2], jurorBond);
      for (const j of all) expect((await ctx.stakeManager.accountOf(ctx.runId, j)).locks).to.equal(0n);
      // and there is no third draw
      expect(await dm.MAX_DRAWS()).to.equal(2n);
    });

    it("pays the miner nothing when an unavailable challenge is found innocent (attack: hide from the challenger, show the jury)", async function () {
      const ctx = await loadFixture(honestRoundFixture);
      const { commitment: c } = ctx.honest;
      const dm = ctx.disputeManager;
      const bond = (await ctx.runManager.paramsAt(ctx.runId, 0)).challengeBond;
      const challenger = ctx.validators[4];
      await reported(dm.connect(challenger)).challengeUnavailable(ctx.runId, 0, ctx.miners[0].address, c, 1, { value: bond });
      const id = await dm.challengeCount();
      const { jurors } = await drawJury(ctx, id);
      const [a, b, d] = ctx.validators.filter((v) => jurors.includes(v.address));
      await vote(ctx, id, [[a, INNOCENT], [b, INNOCENT], [d, GUILTY]]);
      await expect(dm.resolve(id)).to.emit(dm, "ChallengeResolved").withArgs(id, false, 1n, 2n, 0n);
      expect(await dm.owedTo(ctx.miners[0].address)).to.equal(0n);
      expect(await dm.owedTo(a.address)).to.equal(bond / 4n);
      expect(await dm.owedTo(challenger.address)).to.equal(bond / 2n);
    });

    it("keeps locked accounts from withdrawing until resolution", async function () {
      const ctx = await loadFixture(honestRoundFixture);
      const m = ctx.miners[0];
      await ctx.runManager.connect(m).leaveAsMiner(ctx.runId);
      await ctx.stakeManager.connect(m).requestUnbond(ctx.runId, ctx.stake);
      const { id, jurors } = await challenged(ctx);
      await vote(ctx, id, jurors.map((j) => [j, INNOCENT]));
      await mine(100); // past the release block; the dispute is still open until someone resolves it
      await expect(ctx.stakeManager.connect(m).withdraw(ctx.runId))
        .to.be.revertedWithCustomError(ctx.stakeManager, "StakeManagerAccountLocked").withArgs(ctx.runId, m.address, 1n);
      await ctx.disputeManager.resolve(id);
      await expect(ctx.stakeManager.connect(m).withdraw(ctx.runId)).to.changeEtherBalance(m, ctx.stake);
    });
  });

  it("accepts ETH only from the StakeManager", async function () {
    const ctx = await loadFixture(membersFixture);
    await expect(ctx.deployer.sendTransaction({ to: await ctx.disputeManager.getAddress(), value: 1n }))
      .to.be.revertedWithCustomError(ctx.disputeManager, "DisputeManagerUnexpectedEther");
  });
});

function anyBytes32() {
  // withArgs predicate: any 32-byte value
  return (v) => typeof v === "string" && v.length === 66;
}
