// Shared behaviour: only the run's governance (its timelock) may change parameters, pause,
// resume or halt. Used by the RunManager tests (EOA governance) and the governance tests.
const { expect } = require("chai");
const { loadFixture } = require("@nomicfoundation/hardhat-network-helpers");
const { defaultParams } = require("../helpers/deploy");

function shouldRejectNonGovernance(fixture) {
  describe("non-governance accounts", function () {
    for (const action of ["setParams", "pause", "resume", "halt"]) {
      it(`cannot ${action}`, async function () {
        const ctx = await loadFixture(fixture);
        const intruders = [ctx.miners[0], ctx.validators[0], ctx.deployer];
        for (const who of intruders) {
          const rm = ctx.runManager.connect(who);
          const call = action === "setParams" ? rm.setParams(ctx.runId, defaultParams({ slashBps: 1n })) : rm[action](ctx.runId);
          await expect(call)
            .to.be.revertedWithCustomError(ctx.runManager, "RunManagerNotGovernance")
            .withArgs(ctx.runId, who.address);
        }
      });
    }
  });
}

module.exports = { shouldRejectNonGovernance };
