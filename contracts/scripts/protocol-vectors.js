// Writes test/vectors/evidence.json (fault kinds, challenge statuses, evidence hashes) and
// test/vectors/round-clock.json (RunManager.clockOf across a change of windows), computed by the
// contracts on a fresh Hardhat network. Format: docs/CONTRACTS.md §9.
// Usage: npm run vectors (or npx hardhat run scripts/protocol-vectors.js)
const fs = require("fs");
const path = require("path");
const { evidenceVectors, roundClockVectors } = require("../test/helpers/protocolVectors");

async function main() {
  const dir = path.join(__dirname, "..", "test", "vectors");
  const write = (name, value) => {
    fs.writeFileSync(path.join(dir, name), JSON.stringify(value, null, 2) + "\n");
    console.log(`wrote test/vectors/${name}`);
  };
  write("evidence.json", await evidenceVectors());
  write("round-clock.json", await roundClockVectors());
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
