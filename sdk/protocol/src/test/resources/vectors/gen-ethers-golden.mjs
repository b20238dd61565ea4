// Regenerates ethers-golden.json: npm i @openzeppelin/merkle-tree@1.0.8 ethers@6 && node gen-ethers-golden.mjs > ethers-golden.json
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ethers } from "ethers";
const types = ["uint256","uint256","address","uint256","uint256","uint256","bytes32","bytes32","bytes32","bytes32","bytes32","bytes32","bytes32","bytes32"];
const leaves = [];
for (let i = 0; i < 5; i++) {
  const h = (k) => ethers.keccak256(ethers.toUtf8Bytes(`${i}-${k}`));
  leaves.push(["7", String(3+i), "0x"+("ab".repeat(19))+String(10+i), "1", "2", String(i), h(0),h(1),h(2),h(3),h(4),h(5),h(6),h(7)]);
}
const tree = StandardMerkleTree.of(leaves, types);
const out = { root: tree.root, leaves: [] };
for (const [i, v] of tree.entries()) out.leaves.push({ value: v, hash: tree.leafHash(v), proof: tree.getProof(i) });
// EIP-712
const wallet = new ethers.Wallet("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
const domain = { name: "protolearn", version: "1", chainId: 31337, verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" };
const t = { TensorMessage: [ {name:"runId",type:"uint256"},{name:"round",type:"uint256"},{name:"lane",type:"uint256"},{name:"step",type:"uint256"},{name:"fromStage",type:"uint256"},{name:"toStage",type:"uint256"},{name:"tensorHash",type:"bytes32"} ] };
const msg = { runId: 1, round: 2, lane: 3, step: 4, fromStage: 0, toStage: 1, tensorHash: ethers.keccak256("0x01") };
out.eip712 = { address: wallet.address, digest: ethers.TypedDataEncoder.hash(domain, t, msg), signature: await wallet.signTypedData(domain, t, msg), tensorHash: msg.tensorHash };
console.log(JSON.stringify(out, null, 1));
