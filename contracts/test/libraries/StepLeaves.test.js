// The Merkle vectors shared with Java (test/vectors/merkle.json) verify on chain through
// StepLeaves, the library the DisputeManager uses.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture } = require("@nomicfoundation/hardhat-network-helpers");
const { StandardMerkleTree } = require("@openzeppelin/merkle-tree");
const vectors = require("../vectors/merkle.json");
const { LEAF_ENCODING, LEAF_FIELDS } = require("../helpers/leaves");

const toStruct = (values) => Object.fromEntries(LEAF_FIELDS.map((f, i) => [f, values[i]]));

describe("StepLeaves", function () {
  async function deployHarness() {
    return { harness: await ethers.deployContract("StepLeafHarness") };
  }

  it("uses the leaf encoding fixed by DESIGN §4", function () {
    expect(vectors.leafEncoding).to.deep.equal(LEAF_ENCODING);
    expect(vectors.trees.map((t) => t.leaves.length)).to.include.members([1, 2, 3, 7]);
  });

  for (const tree of vectors.trees) {
    describe(`tree ${tree.name} (${tree.leaves.length} leaves)`, function () {
      it("matches StandardMerkleTree", function () {
        const rebuilt = StandardMerkleTree.of(tree.leaves.map((l) => l.values), vectors.leafEncoding);
        expect(rebuilt.root).to.equal(tree.root);
        tree.leaves.forEach((l, i) => expect(rebuilt.getProof(i)).to.deep.equal(l.proof));
      });

      it("hashes and verifies every leaf on chain", async function () {
        const { harness } = await loadFixture(deployHarness);
        for (const leaf of tree.leaves) {
          const struct = toStruct(leaf.values);
          expect(await harness.hashLeaf(struct)).to.equal(leaf.hash);
          expect(await harness.verifyLeaf(struct, leaf.proof, tree.root)).to.equal(true);
        }
      });

      it("rejects a tampered leaf", async function () {
        const { harness } = await loadFixture(deployHarness);
        const values = [...tree.leaves[0].values];
        values[13] = ethers.ZeroHash === values[13] ? ethers.id("x") : ethers.ZeroHash;
        expect(await harness.verifyLeaf(toStruct(values), tree.leaves[0].proof, tree.root)).to.equal(false);
      });
    });
  }
});
