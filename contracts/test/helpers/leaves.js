// Step leaves (DESIGN §4) for tests and scripts: ABI types, a seeded PRNG, and helpers that build
// a miner's round tree with StandardMerkleTree exactly as the Java miner does.
const { StandardMerkleTree } = require("@openzeppelin/merkle-tree");
const { keccak256, toUtf8Bytes, AbiCoder, solidityPackedKeccak256 } = require("ethers");

const LEAF_FIELDS = [
  "runId", "round", "miner", "stage", "lane", "step",
  "paramsBeforeHash", "optStateBeforeHash", "inputHash", "upstreamGradHash",
  "outputHash", "inputGradHash", "paramGradHash", "paramsAfterHash",
];
const LEAF_ENCODING = [
  "uint256", "uint256", "address", "uint256", "uint256", "uint256",
  "bytes32", "bytes32", "bytes32", "bytes32", "bytes32", "bytes32", "bytes32", "bytes32",
];

/** mulberry32: small, fast, and identical on every platform. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    uint: (n) => Math.floor(next() * n),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    bytes: (n) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256)),
  };
}

const h = (label) => keccak256(toUtf8Bytes(label));

/** Leaf object (StepLeaf struct shape) for step `step` of a miner; params chain step to step. */
function makeLeaf({ runId, round, miner, stage = 0, lane = 0, step, tag = "", overrides = {} }) {
  const p = (s) => h(`params/${runId}/${round}/${miner}/${s}${tag}`);
  return {
    runId: BigInt(runId),
    round: BigInt(round),
    miner,
    stage: BigInt(stage),
    lane: BigInt(lane),
    step: BigInt(step),
    paramsBeforeHash: step === 0 && overrides.base ? overrides.base : p(step),
    optStateBeforeHash: h(`opt/${miner}/${step}${tag}`),
    inputHash: h(`in/${miner}/${step}${tag}`),
    upstreamGradHash: h(`up/${miner}/${step}${tag}`),
    outputHash: h(`out/${runId}/${round}/${lane}/${stage}/${step}${tag}`),
    inputGradHash: h(`ig/${runId}/${round}/${lane}/${stage}/${step}${tag}`),
    paramGradHash: h(`pg/${miner}/${step}${tag}`),
    paramsAfterHash: p(step + 1),
    ...Object.fromEntries(Object.entries(overrides).filter(([k]) => k !== "base")),
  };
}

const toValues = (leaf) => LEAF_FIELDS.map((f) => (typeof leaf[f] === "bigint" ? leaf[f].toString() : leaf[f]));

/** Builds a round tree over `leaves` (StepLeaf objects). */
function buildTree(leaves) {
  const tree = StandardMerkleTree.of(leaves.map(toValues), LEAF_ENCODING);
  return {
    root: tree.root,
    leaves,
    proof: (i) => tree.getProof(i),
    leafHash: (i) => tree.leafHash(toValues(leaves[i])),
  };
}

/** A miner's honest round: `steps` chained leaves, base = params of step 0. */
function honestRound({ runId, round, miner, stage = 0, lane = 0, steps = 4, tag = "" }) {
  const leaves = [];
  for (let i = 0; i < steps; i++) leaves.push(makeLeaf({ runId, round, miner, stage, lane, step: i, tag }));
  const tree = buildTree(leaves);
  const commitment = {
    root: tree.root,
    stepCount: BigInt(steps),
    deltaHash: h(`delta/${runId}/${round}/${miner}${tag}`),
    baseHash: leaves[0].paramsBeforeHash,
  };
  return { tree, commitment, leaves };
}

const voteCommitment = (guilty, salt, juror) =>
  solidityPackedKeccak256(["bool", "bytes32", "address"], [guilty, salt, juror]);

const abi = AbiCoder.defaultAbiCoder();

module.exports = {
  LEAF_FIELDS, LEAF_ENCODING, prng, h, makeLeaf, toValues, buildTree, honestRound, voteCommitment, abi,
};
