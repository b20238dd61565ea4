// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";
import {IModelShares} from "../interfaces/IModelShares.sol";

/// @title ModelShares
/// @notice A run's model shares: ERC-20 with ERC-2612 permit and ERC-5805 votes (block-number
/// clock). Minted only by the run's RunManager for verified work.
contract ModelShares is ERC20, ERC20Permit, ERC20Votes, IModelShares {
    address private immutable _initializer;
    address private _minter;

    /// @param name_ token name (also the EIP-712 domain name of permit)
    /// @param symbol_ token symbol
    constructor(string memory name_, string memory symbol_) ERC20(name_, symbol_) ERC20Permit(name_) {
        _initializer = msg.sender;
    }

    /// @inheritdoc IModelShares
    function setMinter(address minter_) external {
        if (msg.sender != _initializer) revert ModelSharesNotInitializer(msg.sender);
        if (_minter != address(0)) revert ModelSharesMinterAlreadySet(_minter);
        if (minter_ == address(0)) revert ModelSharesZeroAddress();
        _minter = minter_;
        emit MinterSet(minter_);
    }

    /// @inheritdoc IModelShares
    function mint(address to, uint256 amount) external {
        if (msg.sender != _minter) revert ModelSharesNotMinter(msg.sender);
        _mint(to, amount);
    }

    /// @inheritdoc IModelShares
    function minter() external view returns (address) {
        return _minter;
    }

    /// @inheritdoc Votes
    /// @dev address(0) never delegates; answering without a storage read saves a cold SLOAD on every mint.
    function delegates(address account) public view override returns (address) {
        return account == address(0) ? address(0) : super.delegates(account);
    }

    /// @inheritdoc ERC20Permit
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}
