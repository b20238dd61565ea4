// Mutation check of the protocol's money guards (issue 12): each mutant removes or weakens one check
// in a copy of the contracts, and the tests named with it must fail on the copy. A mutant the tests
// let live is a guard nothing tests. Run with `npm run mutants` (about 3 minutes a mutant on 2 cores;
// MUTANTS=name,name runs some). Prints one line per mutant and exits 1 if any survives.
const { execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const INVARIANT = "test/invariant/Protocol.invariant.test.js";
const CORE = ["test/core/RunManager.test.js", "test/core/DisputeManager.test.js"];

const MUTANTS = [
  {
    name: "convicted-work-claims",
    what: "a convicted commitment may claim its shares",
    file: "src/core/RunManager.sol",
    from: "if (word & CONVICTED != 0) revert RunManagerCommitmentConvicted(runId, round, account);",
    to: "",
    tests: [INVARIANT],
  },
  {
    name: "slash-every-evidence",
    what: "every distinct evidence slashes the same commitment again",
    file: "src/core/RunManager.sol",
    from: "if (word & CONVICTED != 0) return false;",
    to: "if (word & CONVICTED != 0) return true;",
    // the invariant sequences alone kill it (DisputeManager.test.js does too)
    tests: [INVARIANT],
  },
  {
    name: "even-jury",
    what: "an even jurorCount is accepted (ties acquit)",
    file: "src/libraries/RunParams.sol",
    from: "if (p.jurorCount % 2 == 0) revert IRunManager.RunManagerJurorCountEven(p.jurorCount);",
    to: "",
    tests: ["test/core/RunManager.test.js"],
  },
  {
    name: "late-seed",
    what: "a seed may be drawn after the check window, past 256 blocks from the previous block's hash",
    file: "src/core/RunManager.sol",
    from: "if (block.number > lastBlock || blockHash == bytes32(0)) {",
    to: "if (blockHash == bytes32(0)) blockHash = blockhash(block.number - 1);\n        if (false) {",
    tests: ["test/core/RunManager.test.js"],
  },
  {
    name: "unseeded-pays",
    what: "a round nobody seeded is paid",
    file: "src/core/RunManager.sol",
    from: "rd.sharesPerRound = _seeds[runId][round] == bytes32(0) ? 0 : uint96(v.sharesPerRound);",
    to: "rd.sharesPerRound = uint96(v.sharesPerRound);",
    tests: ["test/core/RunManager.test.js"],
  },
  {
    name: "finalize-with-open-disputes",
    what: "a round is finalized while a jury dispute is open",
    file: "src/core/RunManager.sol",
    from: "if (rd.openDisputes != 0) revert RunManagerDisputesOpen(runId, round, rd.openDisputes);",
    to: "",
    tests: CORE,
  },
  {
    name: "no-challenge-cap",
    what: "any number of challenges may be open against one commitment",
    file: "src/core/DisputeManager.sol",
    from: "if (_openAgainst[key] >= MAX_OPEN_PER_COMMITMENT) {",
    to: "if (false) {",
    tests: ["test/core/DisputeManager.test.js"],
  },
  {
    name: "outsider-challenges",
    what: "anyone may file a jury challenge",
    file: "src/core/DisputeManager.sol",
    from: "if (!_runManager.isValidatorIn(runId, round, msg.sender)) {",
    to: "if (false) {",
    tests: ["test/core/DisputeManager.test.js"],
  },
  {
    name: "challenge-convicted",
    what: "a challenge may be opened against an already convicted commitment",
    file: "src/core/DisputeManager.sol",
    from: "revert DisputeManagerAlreadyConvicted(runId, round, miner);\n        }",
    to: "}",
    tests: ["test/core/DisputeManager.test.js"],
  },
  {
    name: "jury-caller-picks-block",
    what: "the jury is drawn from the block before the drawJury call, so the caller picks it by choosing when",
    file: "src/core/DisputeManager.sol",
    from: "bytes32 seed = keccak256(abi.encode(blockhash(drawBlock), challengeId, draw));",
    to: "bytes32 seed = keccak256(abi.encode(blockhash(block.number - 1), challengeId, draw));",
    tests: ["test/core/DisputeManager.test.js"],
  },
  {
    name: "jury-neighbours",
    what: "jurors are consecutive slots from one random start (the v1 walk) instead of independent draws",
    file: "src/libraries/JuryDraw.sol",
    from: "uint256 j = i + uint256(keccak256(abi.encode(seed, i))) % (n - i);",
    to: "uint256 j = i + (uint256(keccak256(abi.encode(seed))) % n + n - i) % (n - i);",
    tests: ["test/core/DisputeManager.test.js"],
  },
  {
    name: "challenger-on-jury",
    what: "the challenger may sit on the jury of its own challenge",
    file: "src/core/DisputeManager.sol",
    from: "if (v == ch.miner || v == ch.challenger || ballot.drawn) return address(0);",
    to: "if (v == ch.miner || ballot.drawn) return address(0);",
    tests: ["test/core/DisputeManager.test.js"],
  },
  {
    name: "no-redraw",
    what: "a jury that stays silent acquits instead of being redrawn",
    file: "src/core/DisputeManager.sol",
    from: "if (revealed <= ch.seats / 2 && ch.draws < MAX_DRAWS && _undrawn(challengeId, ch) > 0) {",
    to: "if (false) {",
    tests: ["test/core/DisputeManager.test.js"],
  },
  {
    name: "unavailable-pays-miner",
    what: "an innocent unavailable challenge pays the rest of the bond to the miner",
    file: "src/core/DisputeManager.sol",
    from: "address rest = ch.kind == CHALLENGE_UNAVAILABLE ? ch.challenger : ch.miner;",
    to: "address rest = ch.miner;",
    tests: ["test/core/DisputeManager.test.js"],
  },
];

function copyContracts() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "protolearn-mutant-"));
  for (const entry of ["hardhat.config.js", "package.json", "src", "test", "scripts"]) {
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

function run(dir, tests) {
  try {
    execFileSync(path.join(ROOT, "node_modules", ".bin", "hardhat"), ["test", ...tests], {
      cwd: dir,
      stdio: "pipe",
      env: { ...process.env, INVARIANT_RUNS: process.env.INVARIANT_RUNS ?? "200" },
    });
    return true;
  } catch (e) {
    return false;
  }
}

const only = process.env.MUTANTS ? process.env.MUTANTS.split(",") : null;
let survivors = 0;
for (const m of MUTANTS.filter((x) => !only || only.includes(x.name))) {
  const dir = copyContracts();
  try {
    const file = path.join(dir, m.file);
    const source = fs.readFileSync(file, "utf8");
    if (!source.includes(m.from)) {
      console.log(`${m.name}: the guard is not in ${m.file} any more; update the mutant`);
      survivors++;
      continue;
    }
    fs.writeFileSync(file, source.replace(m.from, m.to));
    const passed = run(dir, m.tests);
    console.log(`${m.name}: ${passed ? "SURVIVED" : "killed"} (${m.what}; ${m.tests.join(", ")})`);
    if (passed) survivors++;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
process.exit(survivors === 0 ? 0 : 1);
