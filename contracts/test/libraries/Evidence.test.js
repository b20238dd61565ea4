// The evidence vectors shared with Java (test/vectors/evidence.json) are what the contracts compute:
// the DisputeManager's kind and status constants, its EIP-712 digest and the Evidence library.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { takeSnapshot } = require("@nomicfoundation/hardhat-network-helpers");
const vectors = require("../vectors/evidence.json");
const { evidenceVectors } = require("../helpers/protocolVectors");

describe("Evidence", function () {
  let snapshot;
  before(async function () {
    snapshot = await takeSnapshot();
  });
  after(async function () {
    await snapshot.restore();
  });

  it("the checked-in vectors are what the contracts compute", async function () {
    const computed = JSON.parse(JSON.stringify(await evidenceVectors()));
    expect(computed).to.deep.equal(vectors);
  });

  it("every encoding is keccak256(abi.encode(tag, ...))", function () {
    const coder = ethers.AbiCoder.defaultAbiCoder();
    const tag = (name) => vectors.faultKinds.find((k) => k.name === name).tag;
    const hash = (types, values) => ethers.keccak256(coder.encode(types, values));
    const coords = ["uint256", "uint256", "uint256", "address"];
    for (const v of vectors.chainBreak) {
      expect(hash([...coords, "bytes32", "bytes32"], [tag("chain-break"), v.runId, v.round, v.miner, v.leafA, v.leafB]))
        .to.equal(v.hash);
    }
    for (const [list, name] of [[vectors.baseMismatch, "base-mismatch"], [vectors.malformed, "malformed"], [vectors.wrongResult, "wrong-result"]]) {
      for (const v of list) expect(hash([...coords, "bytes32"], [tag(name), v.runId, v.round, v.miner, v.leaf])).to.equal(v.hash);
    }
    for (const v of vectors.unavailable) {
      expect(hash([...coords, "uint256"], [tag("unavailable"), v.runId, v.round, v.miner, v.step])).to.equal(v.hash);
    }
    for (const v of vectors.equivocation) expect(hash(["uint256", "bytes32"], [tag("equivocation"), v.digest])).to.equal(v.hash);
    for (const v of vectors.jurorForfeit) {
      expect(hash(["uint256", "uint256", "address"], [vectors.jurorTag, v.challengeId, v.juror])).to.equal(v.hash);
    }
  });
});
