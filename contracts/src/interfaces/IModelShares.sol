// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IModelShares
/// @notice The mint side of a run's share token; everything else is ERC-20, ERC-2612 and ERC-5805.
interface IModelShares {
    /// @notice The minter (the RunManager) was set, once.
    event MinterSet(address indexed minter);

    error ModelSharesNotMinter(address caller);
    error ModelSharesNotInitializer(address caller);
    error ModelSharesMinterAlreadySet(address minter);
    error ModelSharesZeroAddress();

    /// @notice Initializer (the deployer) only, once: the account allowed to mint.
    function setMinter(address minter_) external;

    /// @notice Minter only: mints `amount` to `to`.
    function mint(address to, uint256 amount) external;

    /// @notice The account allowed to mint (zero until set).
    function minter() external view returns (address);
}
