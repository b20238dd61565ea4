import { ethers } from "ethers";
const seed = ethers.keccak256(ethers.toUtf8Bytes("seed"));
const miner = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23";
const out = { seed, miner, steps: [] };
for (let i = 0; i < 40; i++) {
  const h = BigInt(ethers.solidityPackedKeccak256(["bytes32","address","uint256"], [seed, miner, i]));
  const a = BigInt(ethers.solidityPackedKeccak256(["bytes32","address","uint256","string"], [seed, miner, i, "assign"]));
  out.steps.push({ step: i, mod10000: Number(h % 10000n), assign5: Number(a % 5n) });
}
console.log(JSON.stringify(out));
