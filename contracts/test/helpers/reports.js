// Reports are committed before they are revealed (DESIGN §6 v2): `reported(dm.connect(signer))` has the
// DisputeManager's six proof and challenge functions with their v1 arguments; each call commits
// reportKey(evidence, signer, salt) in one block and sends the proof with the salt in the next. The
// evidence hash is computed here the way the contract's Evidence library does.
const { ethers } = require("hardhat");

const coder = ethers.AbiCoder.defaultAbiCoder();
const encodeHash = (types, values) => ethers.keccak256(coder.encode(types, values));
const CHALLENGE_TAG = 16n;
let counter = 0;

/** The evidence hash a proof or challenge call with `args` computes on chain. */
async function evidenceOf(dm, name, args) {
  const leaf = (l) => dm.leafHash(l);
  const fields = ["uint256", "uint256", "uint256", "address", "bytes32"];
  switch (name) {
    case "proveChainBreak": {
      const [runId, round, miner, , a, , b] = args;
      return encodeHash([...fields, "bytes32"], [0n, runId, round, miner, await leaf(a), await leaf(b)]);
    }
    case "proveBaseMismatch": {
      const [runId, round, miner, , l] = args;
      return encodeHash(fields, [1n, runId, round, miner, await leaf(l)]);
    }
    case "proveEquivocation": {
      const [message] = args;
      return encodeHash(["uint256", "bytes32"], [2n, await dm.tensorMessageDigest(message)]);
    }
    case "proveMalformed": {
      const [runId, round, miner, , l] = args;
      return encodeHash(fields, [3n, runId, round, miner, await leaf(l)]);
    }
    case "challengeWrongResult": {
      const [runId, round, miner, , l] = args;
      return encodeHash(fields, [CHALLENGE_TAG, runId, round, miner, await leaf(l)]);
    }
    case "challengeUnavailable": {
      const [runId, round, miner, , step] = args;
      return encodeHash(["uint256", "uint256", "uint256", "address", "uint256"], [CHALLENGE_TAG + 1n, runId, round, miner, step]);
    }
    default:
      throw new Error(`not a report: ${name}`);
  }
}

/** Commits the report of `name(args)` by `dm`'s signer; returns its salt. */
async function commitReport(dm, name, args) {
  const salt = ethers.id(`report salt ${++counter}`);
  const reporter = await dm.runner.getAddress();
  await (await dm.commitReport(await dm.reportKey(await evidenceOf(dm, name, args), reporter, salt))).wait();
  return salt;
}

const isOverrides = (x) => x !== null && typeof x === "object" && !Array.isArray(x) && ("value" in x || "gasLimit" in x);

/** `dm` (connected to the reporter) with each proof and challenge committed first, then revealed. */
function reported(dm) {
  return new Proxy(
    {},
    {
      get: (_, name) => async (...args) => {
        const overrides = args.length && isOverrides(args[args.length - 1]) ? [args.pop()] : [];
        const salt = await commitReport(dm, name, args);
        return dm[name](...args, salt, ...overrides);
      },
    },
  );
}

module.exports = { reported, evidenceOf, commitReport };
