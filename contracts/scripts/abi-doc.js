// Prints the ABI appendix of docs/CONTRACTS.md (functions, events, errors of each protocol
// contract) from the compiled artifacts. Run `npx hardhat compile` first.
//   node scripts/abi-doc.js > /tmp/abi.md
const path = require("path");
const { Interface } = require("ethers");

const CONTRACTS = [
  "core/StakeManager",
  "core/RunManager",
  "core/DisputeManager",
  "token/ModelShares",
];
// inherited OpenZeppelin errors/events are listed by name only
const OZ = /^(ERC20|ERC2612|ECDSA|Checkpoint|ReentrancyGuard|AddressEmpty|FailedCall|InsufficientBalance|SafeCast|InvalidShortString|StringTooLong|Votes|ERC5805|ERC6372|Approval|Transfer|DelegateChanged|DelegateVotesChanged|EIP712DomainChanged|InvalidAccountNonce|FailedDeployment)/;

for (const c of CONTRACTS) {
  const name = path.basename(c);
  const artifact = require(path.join(__dirname, "..", "artifacts", "src", `${c}.sol`, `${name}.json`));
  const iface = new Interface(artifact.abi);
  const out = [`### ${name} ABI`, "", "Functions:", ""];
  iface.forEachFunction((f) => out.push("- `" + f.format("full").replace(/^function /, "") + "`"));
  out.push("", "Events:", "");
  const oz = [];
  iface.forEachEvent((e) => (OZ.test(e.name) ? oz.push(e.name) : out.push("- `" + e.format("full").replace(/^event /, "") + "`")));
  out.push("", "Errors:", "");
  iface.forEachError((e) => (OZ.test(e.name) ? oz.push(e.name) : out.push("- `" + e.format("full").replace(/^error /, "") + "`")));
  if (oz.length) out.push("", "Inherited from OpenZeppelin: " + oz.map((n) => "`" + n + "`").join(", ") + ".");
  out.push("");
  console.log(out.join("\n"));
}
