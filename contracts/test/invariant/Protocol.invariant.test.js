// Randomized invariant test: seeded random sequences of stake / unbond / withdraw / join / leave /
// commit (honest or broken) / drawSeed / attest / fraud proof / challenge / vote / resolve /
// finalize / claim / withdrawPayments / mine, with the accounting invariants checked after EVERY call:
//   1. StakeManager balance == totalStaked + totalUnbonding
//   2. DisputeManager balance == totalBonds + totalOwed
//   3. ModelShares totalSupply == sum of claimed amounts (from Claimed events)
//   4. no account is slashed more than it deposited
// and, at the end of each sequence, that the per-account stakes add up to the totals.
//
// INVARIANT_SEED=<n> replays a run (default 1); INVARIANT_RUNS=<n> sets the number of sequences
// (default 200); INVARIANT_STEPS=<n> the calls per sequence (default 24).
const { expect, AssertionError } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, mine } = require("@nomicfoundation/hardhat-network-helpers");
const { runWithMembers, defaultParams, PARAM_NAMES, paramsTuple } = require("../helpers/deploy");
const { prng, makeLeaf, buildTree, h, voteCommitment } = require("../helpers/leaves");
const { reported } = require("../helpers/reports");

const MASTER_SEED = Number(process.env.INVARIANT_SEED ?? 1);
const RUNS = Number(process.env.INVARIANT_RUNS ?? 200);
const STEPS = Number(process.env.INVARIANT_STEPS ?? 24);

const PARAMS = defaultParams({
  commitBlocks: 4n,
  checkBlocks: 4n,
  voteBlocks: 8n, // a reveal window of 4 blocks, so that sequences reach reveals
  unbondingBlocks: 40n,
  jurorCount: 3n,
  slashBps: 3000n,
  jurorBond: ethers.parseEther("0.3"),
});

// label prefix -> [ok, reverted], over all sequences
const TALLY = new Map();

describe("Protocol invariants (randomized)", function () {
  const fixture = () => runWithMembers({ params: PARAMS, minerCount: 3, validatorCount: 4 });

  before(function () {
    console.log(`      invariant master seed ${MASTER_SEED} (INVARIANT_SEED=${MASTER_SEED} to replay), ${RUNS} sequences x ${STEPS} calls`);
  });

  after(function () {
    const rows = [...TALLY.entries()].sort().map(([k, [ok, rev]]) => `${k} ${ok}/${ok + rev}`);
    console.log(`      calls that succeeded / were sent: ${rows.join(", ")}`);
    if (RUNS >= 50) {
      // the sequences must exercise every action, not just collect reverts
      for (const kind of ["stake", "unbond", "withdraw", "commit", "drawSeed", "attest", "proveChainBreak",
        "challengeUnavailable", "drawJury", "commitVote", "revealVote", "resolve", "finalize", "claim", "claimMany", "withdrawPayments",
        "proveBaseMismatch", "proveMalformed", "pause", "setParams"]) {
        expect((TALLY.get(kind) || [0])[0], `no successful ${kind}`).to.be.greaterThan(0);
      }
    }
  });

  for (let run = 0; run < RUNS; run++) {
    const seed = MASTER_SEED * 100003 + run;
    it(`sequence ${run} (seed ${seed}) keeps the books balanced`, async function () {
      const ctx = await loadFixture(fixture);
      const sim = new Simulation(ctx, seed);
      await sim.checkInvariants("start");
      for (let step = 0; step < STEPS; step++) {
        await sim.randomAction(step);
        await sim.checkInvariants(`step ${step}`);
      }
      await sim.checkAccountSums();
    });
  }
});

function tally(label, index) {
  const kind = label.split(" ")[0];
  const entry = TALLY.get(kind) || [0, 0];
  entry[index] += 1;
  TALLY.set(kind, entry);
}

class Simulation {
  constructor(ctx, seed) {
    this.ctx = ctx;
    this.seed = seed;
    this.rand = prng(seed);
    this.accounts = [...ctx.miners, ...ctx.validators, ...ctx.outsiders.slice(0, 2)];
    this.commitments = []; // { round, miner, commitment, tree, leaves, broken }
    this.challenges = []; // { id, votes: Map(address -> {guilty, salt}) }
    this.claimed = 0n;
    this.mintedByRound = new Map();
    this.slashesByCommitment = new Map();
    this.log = [];
  }

  pick(arr) {
    return arr[this.rand.uint(arr.length)];
  }

  async round() {
    return this.ctx.runManager.currentRound(this.ctx.runId);
  }

  async blockNumber() {
    return BigInt(await ethers.provider.getBlockNumber());
  }

  /** Sends a transaction; a revert is a legal outcome (the call was refused), anything else is not. */
  async send(label, promiseFn) {
    try {
      const tx = await promiseFn();
      const receipt = await tx.wait();
      for (const log of receipt.logs) {
        let parsed = null;
        try {
          parsed = this.ctx.runManager.interface.parseLog(log);
        } catch (_) {
          parsed = null;
        }
        if (parsed && parsed.name === "Claimed") {
          const amount = parsed.args.minerAmount + parsed.args.validatorAmount;
          this.claimed += amount;
          const round = parsed.args.round;
          this.mintedByRound.set(round, (this.mintedByRound.get(round) || 0n) + amount);
          const info = await this.ctx.runManager.commitmentOf(this.ctx.runId, round, parsed.args.account);
          expect(info.committed && info.convicted, `convicted work claimed in round ${round}: ${label}`).to.equal(false);
        }
        let dm = null;
        try {
          dm = this.ctx.disputeManager.interface.parseLog(log);
        } catch (_) {
          dm = null;
        }
        if (dm && dm.name === "FraudProven") this.countSlash(dm.args.round, dm.args.miner, dm.args.slashed);
        if (dm && dm.name === "ChallengeResolved" && dm.args.guilty) {
          const ch = await this.ctx.disputeManager.challengeOf(dm.args.challengeId);
          this.countSlash(ch.round, ch.miner, dm.args.slashed);
        }
      }
      this.log.push(`${label}: ok`);
      tally(label, 0);
      return receipt;
    } catch (e) {
      // an invariant checked on the receipt failed: never mistake it for a refused call (its
      // message carries the log, which names earlier reverts)
      if (e instanceof AssertionError) throw e;
      const message = String(e.message || e);
      if (!/reverted|revert/i.test(message)) throw e;
      this.log.push(`${label}: reverted (${message.split("\n")[0].slice(0, 120)})`);
      tally(label, 1);
      return null;
    }
  }

  async randomAction(step) {
    const r = this.rand.next();
    const actions = [
      [0.05, () => this.stake()],
      [0.05, () => this.unbond()],
      [0.05, () => this.withdraw()],
      [0.03, () => this.joinOrLeave()],
      [0.16, () => this.commit()],
      [0.04, () => this.drawSeed()],
      [0.08, () => this.attest()],
      [0.08, () => this.fraud()],
      [0.07, () => this.challenge()],
      [0.12, () => this.vote()],
      [0.06, () => this.resolve()],
      [0.07, () => this.finalize()],
      [0.07, () => this.claim()],
      [0.03, () => this.withdrawPayments()],
      [0.02, () => this.govern()],
      [1.0, () => this.mineSome()],
    ];
    let acc = 0;
    for (const [p, fn] of actions) {
      acc += p;
      if (r < acc) {
        try {
          return await fn();
        } catch (e) {
          e.message = `${e.message}\n  sequence seed ${this.seed}, step ${step}\n  log:\n    ${this.log.join("\n    ")}`;
          throw e;
        }
      }
    }
  }

  // ---- actions: each prepares its preconditions most of the time (mining forward, drawing the
  // seed, picking an account that holds the right role) and sometimes sends a call that must fail.

  async clock(round) {
    return this.ctx.runManager.clockOf(this.ctx.runId, round);
  }

  /** Mines so that the next transaction lands in block `block` (no-op if already past). */
  async moveTo(block) {
    const next = (await this.blockNumber()) + 1n;
    if (BigInt(block) > next) {
      await mine(BigInt(block) - next);
      this.log.push(`mine to ${block}`);
    }
  }

  async holders(round, check) {
    const out = [];
    for (const a of this.accounts) if (await check(round, a.address)) out.push(a);
    return out;
  }

  stake() {
    const who = this.pick(this.accounts);
    const value = ethers.parseEther(String(1 + this.rand.uint(20) / 10));
    return this.send(`stake ${who.address.slice(0, 8)}`, () => this.ctx.stakeManager.connect(who).stake(this.ctx.runId, { value }));
  }

  async unbond() {
    const who = this.pick(this.accounts);
    const acct = await this.ctx.stakeManager.accountOf(this.ctx.runId, who.address);
    const free = acct.staked > acct.required ? acct.staked - acct.required : 0n;
    const amount = free === 0n || this.rand.next() < 0.1 ? ethers.parseEther("0.5") : (free * BigInt(1 + this.rand.uint(100))) / 100n;
    return this.send(`unbond ${who.address.slice(0, 8)} ${amount}`, () =>
      this.ctx.stakeManager.connect(who).requestUnbond(this.ctx.runId, amount),
    );
  }

  async withdraw() {
    const candidates = [];
    for (const a of this.accounts) {
      const acct = await this.ctx.stakeManager.accountOf(this.ctx.runId, a.address);
      if (acct.unbonding > 0n) candidates.push([a, acct]);
    }
    const [who, acct] = candidates.length && this.rand.next() < 0.9 ? this.pick(candidates) : [this.pick(this.accounts), null];
    if (acct && this.rand.next() < 0.7) await this.moveTo(acct.releaseBlock);
    return this.send(`withdraw ${who.address.slice(0, 8)}`, () => this.ctx.stakeManager.connect(who).withdraw(this.ctx.runId));
  }

  async joinOrLeave() {
    const who = this.pick(this.accounts);
    const member = await this.ctx.runManager.memberOf(this.ctx.runId, who.address);
    const rm = this.ctx.runManager.connect(who);
    const active = member.role !== 0n && member.untilRound === 2n ** 32n - 1n;
    if (active) {
      return member.role === 1n
        ? this.send("leaveAsMiner", () => rm.leaveAsMiner(this.ctx.runId))
        : this.send("deregisterValidator", () => rm.deregisterValidator(this.ctx.runId));
    }
    if ((await this.ctx.stakeManager.stakeOf(this.ctx.runId, who.address)) < ethers.parseEther("1")) {
      await this.send(`stake ${who.address.slice(0, 8)}`, () =>
        this.ctx.stakeManager.connect(who).stake(this.ctx.runId, { value: ethers.parseEther("1.5") }),
      );
    }
    return this.rand.next() < 0.5
      ? this.send("joinAsMiner", () => rm.joinAsMiner(this.ctx.runId, this.rand.uint(2), "http://m"))
      : this.send("registerValidator", () => rm.registerValidator(this.ctx.runId, "http://v"));
  }

  async commit() {
    let round = await this.round();
    if (this.rand.next() < 0.85) {
      const c = await this.clock(round);
      if ((await this.blockNumber()) + 1n > c.commitDeadline) {
        round += 1n;
        await this.moveTo((await this.clock(round)).start);
      }
    }
    const miners = await this.holders(round, (r, a) => this.ctx.runManager.isMinerIn(this.ctx.runId, r, a));
    const miner = miners.length && this.rand.next() < 0.9 ? this.pick(miners) : this.pick(this.accounts);
    const member = await this.ctx.runManager.memberOf(this.ctx.runId, miner.address);
    const steps = 2 + this.rand.uint(4);
    const leaves = Array.from({ length: steps }, (_, i) =>
      makeLeaf({ runId: this.ctx.runId, round, miner: miner.address, stage: Number(member.stage), step: i, tag: `/${this.seed}` }),
    );
    const broken = this.rand.next() < 0.35;
    // how it is broken: a chain break (proveChainBreak), a wrong committed base (proveBaseMismatch)
    // or a leaf beyond the committed step count (proveMalformed)
    const kind = broken ? this.pick(["chain", "chain", "base", "malformed"]) : null;
    const breaks = [];
    if (kind === "chain") {
      breaks.push(1);
      // often a second, distinct piece of evidence against the same commitment
      if (steps >= 4 && this.rand.next() < 0.7) breaks.push(3);
      for (const b of breaks) leaves[b].paramsBeforeHash = h(`broken/${this.seed}/${round}/${b}`);
    }
    const tree = buildTree(leaves);
    const commitment = {
      root: tree.root,
      stepCount: BigInt(kind === "malformed" ? steps - 1 : steps),
      deltaHash: h(`delta/${this.seed}/${round}/${miner.address}`),
      baseHash: kind === "base" ? h(`wrong base/${this.seed}/${round}`) : leaves[0].paramsBeforeHash,
    };
    const receipt = await this.send(`commit r${round} ${miner.address.slice(0, 8)}${broken ? " broken" : ""}`, () =>
      this.ctx.runManager
        .connect(miner)
        .commit(this.ctx.runId, round, commitment.root, commitment.stepCount, commitment.deltaHash, commitment.baseHash),
    );
    if (receipt) this.commitments.push({ round, miner, commitment, tree, leaves, broken, kind, breaks });
  }

  /** Gets the current round to its check window with the seed drawn; returns the round or null. */
  async toCheckWindow() {
    const round = await this.round();
    const c = await this.clock(round);
    const next = (await this.blockNumber()) + 1n;
    if (next > c.checkEnd) return null;
    if (next <= c.seedBlock) await this.moveTo(c.seedBlock + 1n);
    if ((await this.ctx.runManager.seedOf(this.ctx.runId, round)) === ethers.ZeroHash) {
      await this.send(`drawSeed r${round}`, () => this.ctx.runManager.drawSeed(this.ctx.runId, round));
    }
    return round;
  }

  async drawSeed() {
    const round = await this.round();
    if (this.rand.next() < 0.8) {
      const c = await this.clock(round);
      await this.moveTo(c.seedBlock + 1n);
    }
    return this.send(`drawSeed r${round}`, () => this.ctx.runManager.drawSeed(this.ctx.runId, round));
  }

  async attest() {
    const round = (await this.toCheckWindow()) ?? (await this.round());
    const validators = await this.holders(round, (r, a) => this.ctx.runManager.isValidatorIn(this.ctx.runId, r, a));
    const v = validators.length && this.rand.next() < 0.9 ? this.pick(validators) : this.pick(this.accounts);
    return this.send(`attest r${round} ${v.address.slice(0, 8)}`, () =>
      this.ctx.runManager.connect(v).attest(this.ctx.runId, round, h(`receipts/${round}`), 1 + this.rand.uint(5), []),
    );
  }

  /** A fraud proof; sometimes the round is then finalized and the convicted miner tries to claim. */
  async fraud() {
    const [c, receipt] = await this.proveFault();
    if (c && receipt && this.rand.next() < 0.4) {
      await this.moveTo((await this.clock(c.round)).voteEnd + 1n);
      await this.send(`finalize r${c.round}`, () => this.ctx.runManager.finalize(this.ctx.runId, c.round));
      await this.send(`claim r${c.round} ${c.miner.address.slice(0, 8)} (convicted)`, () =>
        this.ctx.runManager.connect(c.miner).claim(this.ctx.runId, c.round),
      );
    }
    return receipt;
  }

  /** Proves one broken commitment's fault; returns [the commitment, the receipt or null]. */
  async proveFault() {
    const broken = this.commitments.filter((c) => c.broken);
    if (broken.length === 0) return [null, await this.mineSome()];
    // mostly the newest round's (not finalized yet), and the fault not proven yet: a second piece of
    // evidence against a convicted commitment must neither slash nor pay
    const newest = broken.filter((x) => x.round === broken[broken.length - 1].round);
    const c = this.rand.next() < 0.6 ? this.pick(newest) : this.pick(broken);
    const prover = this.pick(this.accounts);
    const dm = reported(this.ctx.disputeManager.connect(prover));
    const at = `r${c.round} ${c.miner.address.slice(0, 8)}`;
    const { runId } = this.ctx;
    if (c.kind === "base") {
      return [c, await this.send(`proveBaseMismatch ${at}`, () =>
        dm.proveBaseMismatch(runId, c.round, c.miner.address, c.commitment, c.leaves[0], c.tree.proof(0)),
      )];
    }
    if (c.kind === "malformed") {
      const last = c.leaves.length - 1;
      return [c, await this.send(`proveMalformed ${at}`, () =>
        dm.proveMalformed(runId, c.round, c.miner.address, c.commitment, c.leaves[last], c.tree.proof(last)),
      )];
    }
    c.proven = c.proven || new Set();
    const fresh = c.breaks.filter((x) => !c.proven.has(x));
    const b = fresh.length && this.rand.next() < 0.8 ? this.pick(fresh) : this.pick(c.breaks);
    c.proven.add(b);
    const prove = (who, at) =>
      reported(this.ctx.disputeManager.connect(who)).proveChainBreak(
        runId, c.round, c.miner.address, c.commitment, c.leaves[at - 1], c.tree.proof(at - 1), c.leaves[at], c.tree.proof(at),
      );
    const receipt = await this.send(`proveChainBreak ${at} at ${b}`, () => prove(prover, b));
    // the second break proven right after the first, by someone else: it must not slash again
    const other = c.breaks.find((x) => x !== b);
    if (receipt && other !== undefined && this.rand.next() < 0.7) {
      c.proven.add(other);
      await this.send(`proveChainBreak ${at} at ${other} (second evidence)`, () => prove(this.pick(this.accounts), other));
    }
    return [c, receipt];
  }

  /** The run's governance pauses, resumes, changes a parameter or (rarely) halts; others are refused. */
  async govern() {
    const { runId } = this.ctx;
    const info = await this.ctx.runManager.runInfo(runId);
    const who = this.rand.next() < 0.9 ? this.ctx.gov : this.pick(this.accounts);
    const rm = this.ctx.runManager.connect(who);
    const r = this.rand.next();
    if (r < 0.4) {
      return info.paused
        ? this.send("resume", () => rm.resume(runId))
        : this.send("pause", () => rm.pause(runId));
    }
    if (r < 0.98) {
      const latest = await this.ctx.runManager.latestParams(runId);
      const next = Object.fromEntries(PARAM_NAMES.map((k) => [k, latest[k]]));
      next.slashBps = BigInt(1000 + this.rand.uint(8000));
      next.challengeBond = ethers.parseEther(String(0.05 + this.rand.uint(10) / 100));
      return this.send(`setParams slashBps ${next.slashBps}`, () => rm.setParams(runId, paramsTuple(next)));
    }
    return this.send("halt", () => rm.halt(runId));
  }

  async challenge() {
    const round = await this.toCheckWindow();
    const current = this.commitments.filter((c) => c.round === round);
    const pool = current.length && this.rand.next() < 0.9 ? current : this.commitments;
    if (pool.length === 0) return this.mineSome();
    const c = this.pick(pool);
    // only validators of the round may file (v2): mostly them, sometimes anyone (refused)
    const validators = await this.holders(c.round, (r, a) => this.ctx.runManager.isValidatorIn(this.ctx.runId, r, a));
    const challenger = validators.length && this.rand.next() < 0.9 ? this.pick(validators) : this.pick(this.accounts);
    const step = this.rand.uint(Number(c.commitment.stepCount));
    const value = this.rand.next() < 0.9 ? PARAMS.challengeBond : 1n;
    const receipt = await this.send(`challengeUnavailable r${c.round} ${c.miner.address.slice(0, 8)} step ${step}`, () =>
      reported(this.ctx.disputeManager
        .connect(challenger))
        .challengeUnavailable(this.ctx.runId, c.round, c.miner.address, c.commitment, step, { value }),
    );
    if (receipt) this.challenges.push({ id: await this.ctx.disputeManager.challengeCount(), votes: new Map() });
  }

  async openChallenge() {
    const open = [];
    for (const ch of this.challenges) {
      if ((await this.ctx.disputeManager.challengeOf(ch.id)).status === 1n) open.push(ch);
    }
    return open.length ? this.pick(open) : null;
  }

  async vote() {
    const ch = await this.openChallenge();
    if (!ch) return this.mineSome();
    let info = await this.ctx.disputeManager.challengeOf(ch.id);
    if (info.voteEnd === 0n) {
      // no jury sits: anyone draws it (mostly once its seed block is mined, sometimes too early)
      if (this.rand.next() < 0.8) await this.moveTo(info.drawBlock + 1n);
      const drawn = await this.send(`drawJury #${ch.id}`, () => this.ctx.disputeManager.connect(this.pick(this.accounts)).drawJury(ch.id));
      if (!drawn) return null;
      info = await this.ctx.disputeManager.challengeOf(ch.id);
    }
    const jurors = await this.ctx.disputeManager.jurorsOf(ch.id);
    const uncommitted = jurors.filter((j) => !ch.votes.has(j));
    const next = (await this.blockNumber()) + 1n;
    if (uncommitted.length && next <= info.voteCommitEnd && this.rand.next() < 0.8) {
      const jurorAddress = this.pick(uncommitted);
      const juror = this.accounts.find((a) => a.address === jurorAddress);
      const guilty = this.rand.next() < 0.5;
      const salt = h(`salt/${this.seed}/${ch.id}/${jurorAddress}`);
      const receipt = await this.send(`commitVote #${ch.id}`, () =>
        this.ctx.disputeManager.connect(juror).commitVote(ch.id, voteCommitment(guilty, salt, jurorAddress)),
      );
      if (receipt) ch.votes.set(jurorAddress, { guilty, salt, revealed: false });
      if (receipt && this.rand.next() < 0.5) {
        // the jury's whole vote in a row: every committed juror reveals as soon as it may
        await this.moveTo(info.voteCommitEnd + 1n);
        for (const [addr, v] of ch.votes) {
          if (v.revealed) continue;
          const j = this.accounts.find((a) => a.address === addr);
          const r = await this.send(`revealVote #${ch.id}`, () => this.ctx.disputeManager.connect(j).revealVote(ch.id, v.guilty, v.salt));
          if (r) v.revealed = true;
        }
      }
      return receipt;
    }
    const committed = [...ch.votes.entries()].filter(([, v]) => !v.revealed);
    if (committed.length === 0) {
      // someone not drawn tries to vote: must be refused
      const who = this.pick(this.accounts);
      return this.send(`commitVote #${ch.id} (outsider?)`, () => this.ctx.disputeManager.connect(who).commitVote(ch.id, h("x")));
    }
    const [jurorAddress, v] = this.pick(committed);
    const juror = this.accounts.find((a) => a.address === jurorAddress);
    if (this.rand.next() < 0.85) await this.moveTo(info.voteCommitEnd + 1n);
    const lie = this.rand.next() < 0.15; // a reveal that does not match must be refused
    const receipt = await this.send(`revealVote #${ch.id}${lie ? " (mismatch)" : ""}`, () =>
      this.ctx.disputeManager.connect(juror).revealVote(ch.id, lie ? !v.guilty : v.guilty, v.salt),
    );
    if (receipt) v.revealed = true;
    return receipt;
  }

  async resolve() {
    const ch = await this.openChallenge();
    if (!ch) return this.mineSome();
    const info = await this.ctx.disputeManager.challengeOf(ch.id);
    // with no jury drawn, resolving waits out the draw horizon (rarely: it is 256 blocks)
    const due = info.voteEnd === 0n ? (this.rand.next() < 0.1 ? info.drawBlock + 257n : 0n) : info.voteEnd + 1n;
    if (due && this.rand.next() < 0.7) await this.moveTo(due);
    return this.send(`resolve #${ch.id}`, () => this.ctx.disputeManager.resolve(ch.id));
  }

  async finalize() {
    const rounds = [...new Set(this.commitments.map((c) => c.round))];
    const target = rounds.length && this.rand.next() < 0.8 ? this.pick(rounds) : await this.round();
    if (this.rand.next() < 0.7) await this.moveTo((await this.clock(target)).voteEnd + 1n);
    return this.send(`finalize r${target}`, () => this.ctx.runManager.finalize(this.ctx.runId, target));
  }

  async claim() {
    const finalized = [];
    for (const r of new Set(this.commitments.map((c) => c.round))) {
      if ((await this.ctx.runManager.roundInfo(this.ctx.runId, r)).finalized) finalized.push(r);
    }
    if (finalized.length === 0) return this.mineSome();
    // convicted work must never be paid: most often a miner convicted in a finalized round claims it
    const convicted = this.commitments.filter(
      (c) => finalized.includes(c.round) && this.slashesByCommitment.has(`${c.round}/${c.miner.address}`),
    );
    if (convicted.length && this.rand.next() < 0.5) {
      const c = this.pick(convicted);
      return this.send(`claim r${c.round} ${c.miner.address.slice(0, 8)} (convicted)`, () =>
        this.ctx.runManager.connect(c.miner).claim(this.ctx.runId, c.round),
      );
    }
    const round = this.pick(finalized);
    const miners = this.commitments.filter((c) => c.round === round).map((c) => c.miner);
    // convicted work must never be paid: its miners try too
    const cheats = this.commitments.filter((c) => c.round === round && c.broken).map((c) => c.miner);
    const r = this.rand.next();
    const who = cheats.length && r < 0.3 ? this.pick(cheats) : r < 0.7 ? this.pick(miners) : this.pick(this.accounts);
    if (this.rand.next() < 0.4) {
      // one mint for several rounds: an honest miner's finalized rounds (or anyone's first two)
      const honest = this.commitments.filter((c) => !c.broken && finalized.includes(c.round));
      const payee = honest.length && this.rand.next() < 0.8 ? this.pick(honest).miner : who;
      const mine = [...new Set(honest.filter((c) => c.miner === payee).map((c) => c.round))];
      const rounds = mine.length ? mine.slice(0, 3) : finalized.slice(0, 2);
      return this.send(`claimMany ${payee.address.slice(0, 8)}`, () =>
        this.ctx.runManager.connect(payee).claimMany(this.ctx.runId, rounds),
      );
    }
    return this.send(`claim r${round} ${who.address.slice(0, 8)}`, () => this.ctx.runManager.connect(who).claim(this.ctx.runId, round));
  }

  async withdrawPayments() {
    const owed = [];
    for (const a of this.accounts) if ((await this.ctx.disputeManager.owedTo(a.address)) > 0n) owed.push(a);
    const who = owed.length && this.rand.next() < 0.9 ? this.pick(owed) : this.pick(this.accounts);
    return this.send(`withdrawPayments ${who.address.slice(0, 8)}`, () => this.ctx.disputeManager.connect(who).withdrawPayments());
  }

  /** A commitment is slashed at most once (DESIGN §6), however many pieces of evidence exist. */
  countSlash(round, miner, amount) {
    if (amount === 0n) return;
    const key = `${round}/${miner}`;
    const n = (this.slashesByCommitment.get(key) || 0) + 1;
    this.slashesByCommitment.set(key, n);
    expect(n, `commitment ${key} slashed ${n} times; log:\n    ${this.log.join("\n    ")}`).to.equal(1);
  }

  async mineSome() {
    const blocks = 1 + this.rand.uint(6);
    await mine(blocks);
    this.log.push(`mine ${blocks}`);
  }

  // ---- invariants

  async checkInvariants(where) {
    const { stakeManager, disputeManager, shares } = this.ctx;
    const [staked, unbonding] = await stakeManager.totals();
    const [bonds, owed] = await disputeManager.totals();
    const smBalance = await ethers.provider.getBalance(await stakeManager.getAddress());
    const dmBalance = await ethers.provider.getBalance(await disputeManager.getAddress());
    const context = `${where} of seed ${this.seed}; log:\n    ${this.log.join("\n    ")}`;
    expect(smBalance, `StakeManager balance != stakes + unbonding at ${context}`).to.equal(staked + unbonding);
    expect(dmBalance, `DisputeManager balance != bonds + owed at ${context}`).to.equal(bonds + owed);
    expect(await shares.totalSupply(), `totalSupply != claimed at ${context}`).to.equal(this.claimed);
    for (const a of this.accounts) {
      const acct = await stakeManager.accountOf(this.ctx.runId, a.address);
      expect(acct.slashed <= acct.deposited, `${a.address} slashed more than it staked at ${context}`).to.equal(true);
    }
    for (const [round, minted] of this.mintedByRound) {
      const spr = (await this.ctx.runManager.roundInfo(this.ctx.runId, round)).sharesPerRound;
      expect(minted <= spr, `round ${round} minted ${minted} > sharesPerRound ${spr} at ${context}`).to.equal(true);
    }
  }

  async checkAccountSums() {
    let staked = 0n;
    let unbonding = 0n;
    let owed = 0n;
    for (const a of this.accounts) {
      const acct = await this.ctx.stakeManager.accountOf(this.ctx.runId, a.address);
      expect(acct.slashed <= acct.deposited).to.equal(true);
      expect(acct.staked + acct.unbonding <= acct.deposited - acct.slashed).to.equal(true);
      staked += acct.staked;
      unbonding += acct.unbonding;
      owed += await this.ctx.disputeManager.owedTo(a.address);
    }
    const [totalStaked, totalUnbonding] = await this.ctx.stakeManager.totals();
    expect(staked).to.equal(totalStaked);
    expect(unbonding).to.equal(totalUnbonding);
    const [, totalOwed] = await this.ctx.disputeManager.totals();
    expect(owed).to.equal(totalOwed);
  }
}
