// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title RunTimelock
/// @notice A run's TimelockController: it owns the run's parameters, pause/resume and halt in the
/// RunManager. Deployed under its own name so its artifact sits under artifacts/src.
contract RunTimelock is TimelockController {
    /// @param minDelay seconds between queue and execute
    /// @param proposers accounts given PROPOSER_ROLE and CANCELLER_ROLE (usually empty; grant the Governor)
    /// @param executors accounts given EXECUTOR_ROLE (address(0) = anyone)
    /// @param admin optional admin for the wiring, renounced afterwards (address(0) for none)
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
