const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, mine, time } = require("@nomicfoundation/hardhat-network-helpers");

describe("ModelShares", function () {
  async function fixture() {
    const [deployer, minter, alice, bob] = await ethers.getSigners();
    const shares = await ethers.deployContract("ModelShares", ["protolearn run shares", "PLS"]);
    return { shares, deployer, minter, alice, bob };
  }

  it("sets its minter once, from the deployer only", async function () {
    const { shares, minter, alice } = await loadFixture(fixture);
    await expect(shares.connect(alice).setMinter(alice.address))
      .to.be.revertedWithCustomError(shares, "ModelSharesNotInitializer").withArgs(alice.address);
    await expect(shares.setMinter(ethers.ZeroAddress)).to.be.revertedWithCustomError(shares, "ModelSharesZeroAddress");
    await expect(shares.setMinter(minter.address)).to.emit(shares, "MinterSet").withArgs(minter.address);
    await expect(shares.setMinter(alice.address))
      .to.be.revertedWithCustomError(shares, "ModelSharesMinterAlreadySet").withArgs(minter.address);
    expect(await shares.minter()).to.equal(minter.address);
  });

  it("mints only through the minter", async function () {
    const { shares, minter, alice } = await loadFixture(fixture);
    await shares.setMinter(minter.address);
    await expect(shares.connect(alice).mint(alice.address, 1n))
      .to.be.revertedWithCustomError(shares, "ModelSharesNotMinter").withArgs(alice.address);
    await expect(shares.connect(minter).mint(alice.address, 5n))
      .to.emit(shares, "Transfer").withArgs(ethers.ZeroAddress, alice.address, 5n);
    expect(await shares.totalSupply()).to.equal(5n);
  });

  it("counts votes by block number after delegation", async function () {
    const { shares, minter, alice, bob } = await loadFixture(fixture);
    await shares.setMinter(minter.address);
    await shares.connect(minter).mint(alice.address, 100n);
    expect(await shares.clock()).to.equal(BigInt(await ethers.provider.getBlockNumber()));
    expect(await shares.CLOCK_MODE()).to.equal("mode=blocknumber&from=default");
    expect(await shares.getVotes(alice.address)).to.equal(0n);
    await shares.connect(alice).delegate(bob.address);
    const block = await ethers.provider.getBlockNumber();
    await mine(1);
    expect(await shares.getVotes(bob.address)).to.equal(100n);
    expect(await shares.getPastVotes(bob.address, block - 1)).to.equal(0n);
    expect(await shares.getPastTotalSupply(block)).to.equal(100n);
  });

  it("accepts ERC-2612 permits", async function () {
    const { shares, minter, alice, bob } = await loadFixture(fixture);
    await shares.setMinter(minter.address);
    await shares.connect(minter).mint(alice.address, 100n);
    const deadline = (await time.latest()) + 3600;
    const { chainId } = await ethers.provider.getNetwork();
    const sig = ethers.Signature.from(
      await alice.signTypedData(
        { name: "protolearn run shares", version: "1", chainId, verifyingContract: await shares.getAddress() },
        { Permit: [
          { name: "owner", type: "address" }, { name: "spender", type: "address" }, { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint256" },
        ] },
        { owner: alice.address, spender: bob.address, value: 40n, nonce: 0n, deadline },
      ),
    );
    await shares.permit(alice.address, bob.address, 40n, deadline, sig.v, sig.r, sig.s);
    expect(await shares.allowance(alice.address, bob.address)).to.equal(40n);
    expect(await shares.nonces(alice.address)).to.equal(1n);
  });
});
