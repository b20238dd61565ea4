// The round-clock vectors shared with Java (test/vectors/round-clock.json) are what
// RunManager.clockOf computes, across a change of the run's windows.
const { expect } = require("chai");
const { takeSnapshot } = require("@nomicfoundation/hardhat-network-helpers");
const vectors = require("../vectors/round-clock.json");
const { roundClockVectors } = require("../helpers/protocolVectors");

describe("RunManager round clock vectors", function () {
  let snapshot;
  before(async function () {
    snapshot = await takeSnapshot();
  });
  after(async function () {
    await snapshot.restore();
  });

  it("the checked-in vectors are what clockOf computes", async function () {
    expect(await roundClockVectors()).to.deep.equal(vectors);
  });

  it("rounds follow each other without gaps, also across the change of windows", function () {
    expect(vectors.versions).to.have.length(2);
    for (let r = 1; r < vectors.clocks.length; r++) {
      expect(BigInt(vectors.clocks[r].start)).to.equal(BigInt(vectors.clocks[r - 1].voteEnd) + 1n);
    }
  });
});
