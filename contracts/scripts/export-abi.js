// Writes target/protolearn-abis.json (outside artifacts/, which Hardhat prunes of files it did not write): { ContractName: abi } for every contract under src/
// (the Java SDK bundles it to decode custom errors and events by name).
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..", "artifacts", "src");
const out = {};
function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p);
    else if (entry.name.endsWith(".json") && !entry.name.endsWith(".dbg.json")) {
      const artifact = JSON.parse(fs.readFileSync(p, "utf8"));
      out[artifact.contractName] = artifact.abi;
    }
  }
}
walk(root);
const target = path.join(__dirname, "..", "target");
fs.mkdirSync(target, { recursive: true });
fs.writeFileSync(path.join(target, "protolearn-abis.json"), JSON.stringify(out));
console.log(`exported ${Object.keys(out).length} ABIs`);
