// Writes test/vectors/merkle.json: step-leaf Merkle trees built with @openzeppelin/merkle-tree's
// StandardMerkleTree (default options), shared by the Hardhat and the Java tests.
// Format: docs/CONTRACTS.md §9.   Usage: npm run vectors
const fs = require("fs");
const path = require("path");
const { StandardMerkleTree } = require("@openzeppelin/merkle-tree");
const { keccak256, toUtf8Bytes, getAddress, hexlify } = require("ethers");
const { LEAF_ENCODING, LEAF_FIELDS, prng } = require("../test/helpers/leaves");

const SEED = 20260601;

function hashOf(label) {
  return keccak256(toUtf8Bytes(label));
}

function fixedLeaves() {
  const miner = getAddress("0x00000000000000000000000000000000000000a1");
  const zero = "0x" + "00".repeat(32);
  return [0, 1, 2, 3].map((step) => [
    "1",
    "0",
    miner,
    "0",
    "0",
    String(step),
    hashOf(`params-${step}`),
    hashOf(`opt-${step}`),
    hashOf(`input-${step}`),
    hashOf(`upstream-${step}`),
    hashOf(`output-${step}`),
    zero, // stage 0 sends no input gradient
    hashOf(`grad-${step}`),
    hashOf(`params-${step + 1}`),
  ]);
}

function randomLeaves(rand, count) {
  const leaves = [];
  for (let i = 0; i < count; i++) {
    const word = () => hexlify(rand.bytes(32));
    leaves.push([
      rand.uint(1000).toString(),
      rand.uint(100000).toString(),
      getAddress(hexlify(rand.bytes(20))),
      rand.uint(64).toString(),
      rand.uint(16).toString(),
      // include a full-width uint256 now and then
      (i % 5 === 4 ? BigInt(word()) : BigInt(rand.uint(1 << 30))).toString(),
      word(), word(), word(), word(), word(), word(), word(), word(),
    ]);
  }
  return leaves;
}

function treeEntry(name, values) {
  const tree = StandardMerkleTree.of(values, LEAF_ENCODING);
  const leaves = [];
  for (const [i, v] of tree.entries()) {
    leaves[i] = { values: v, hash: tree.leafHash(v), proof: tree.getProof(i) };
  }
  return { name, root: tree.root, leaves };
}

function main() {
  const rand = prng(SEED);
  const trees = [
    treeEntry("single", randomLeaves(rand, 1)),
    treeEntry("pair", randomLeaves(rand, 2)),
    treeEntry("triple", randomLeaves(rand, 3)),
    treeEntry("seven", randomLeaves(rand, 7)),
    treeEntry("fixed-4", fixedLeaves()),
    treeEntry("random-16", randomLeaves(rand, 16)),
  ];
  const out = { leafEncoding: LEAF_ENCODING, fields: LEAF_FIELDS, seed: SEED, trees };
  const file = path.join(__dirname, "..", "test", "vectors", "merkle.json");
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
  console.log(`wrote ${trees.length} trees to ${path.relative(process.cwd(), file)}`);
}

main();
