package io.protolearn.chain.deploy;

import io.protolearn.chain.contracts.DisputeManager;
import io.protolearn.chain.contracts.ModelShares;
import io.protolearn.chain.contracts.RunGovernor;
import io.protolearn.chain.contracts.RunManager;
import io.protolearn.chain.contracts.RunTimelock;
import io.protolearn.chain.contracts.StakeManager;
import io.protolearn.chain.tx.TxSender;
import java.math.BigInteger;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint48;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * Deploys the protocol and one run, wired as docs/CONTRACTS.md describes: StakeManager, RunManager,
 * DisputeManager; then the run's ModelShares, RunTimelock (the governor proposes and cancels,
 * anyone executes, no admin left) and RunGovernor; then {@code createRun}.
 */
public final class Deployer {
  private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);
  private static final String ZERO = "0x0000000000000000000000000000000000000000";
  private final TxSender tx;

  public Deployer(TxSender tx) {
    this.tx = tx;
  }

  /** Deploys everything and returns the deployment (accounts left empty for the caller). */
  public Deployment deploy(RunConfig config, String rpcUrl, long chainId) {
    long deployBlock = blockNumber();
    String stakeManager = create(StakeManager.BINARY, List.of());
    String runManager = create(RunManager.BINARY, List.of(new Address(stakeManager)));
    String disputeManager =
        create(DisputeManager.BINARY, List.of(new Address(runManager), new Address(stakeManager)));
    StakeManager sm =
        StakeManager.load(stakeManager, tx.web3j(), readOnly(), new DefaultGasProvider());
    RunManager rm = RunManager.load(runManager, tx.web3j(), readOnly(), new DefaultGasProvider());
    tx.send(stakeManager, sm.setManagers(runManager, disputeManager).encodeFunctionCall());
    tx.send(runManager, rm.setDisputeManager(disputeManager).encodeFunctionCall());

    String shares =
        create(
            ModelShares.BINARY,
            List.of(new Utf8String(config.sharesName()), new Utf8String(config.sharesSymbol())));
    RunConfig.Governance g = config.governance();
    String timelock =
        create(
            RunTimelock.BINARY,
            List.of(
                new Uint256(g.timelockMinDelaySeconds()),
                new DynamicArray<>(Address.class, List.of()),
                new DynamicArray<>(Address.class, List.of(new Address(ZERO))),
                new Address(tx.from())));
    String governor =
        create(
            RunGovernor.BINARY,
            List.of(
                new Address(shares),
                new Address(timelock),
                new Utf8String(config.sharesName() + " governor"),
                new Uint48(g.votingDelayBlocks()),
                new Uint32(g.votingPeriodBlocks()),
                new Uint256(g.proposalThreshold()),
                new Uint256(g.quorumPercent())));
    RunTimelock tl = RunTimelock.load(timelock, tx.web3j(), readOnly(), new DefaultGasProvider());
    byte[] proposer = view(tl.PROPOSER_ROLE());
    byte[] canceller = view(tl.CANCELLER_ROLE());
    byte[] admin = view(tl.DEFAULT_ADMIN_ROLE());
    tx.send(timelock, tl.grantRole(proposer, governor).encodeFunctionCall());
    tx.send(timelock, tl.grantRole(canceller, governor).encodeFunctionCall());
    tx.send(timelock, tl.renounceRole(admin, tx.from()).encodeFunctionCall());

    ModelShares ms = ModelShares.load(shares, tx.web3j(), readOnly(), new DefaultGasProvider());
    tx.send(shares, ms.setMinter(runManager).encodeFunctionCall());
    long startBlock = blockNumber() + config.startDelayBlocks() + 1;
    RunManager.RunSpec spec =
        new RunManager.RunSpec(
            config.modelSpecHash().bytes(),
            config.dataSpecHash().bytes(),
            config.trainSpecHash().bytes(),
            config.dataRoot().bytes(),
            config.initialCheckpointHash().bytes(),
            BigInteger.valueOf(config.stageCount()),
            BigInteger.valueOf(config.maxStepsPerRound()),
            BigInteger.valueOf(startBlock));
    TransactionReceipt created =
        tx.send(
            runManager, rm.createRun(spec, config.params(), shares, timelock).encodeFunctionCall());
    long runId = RunManager.getRunCreatedEvents(created).get(0).runId.longValueExact();
    LOG.info(
        "deployed run {} (RunManager {}, first round at block {})", runId, runManager, startBlock);
    return new Deployment(
        chainId,
        rpcUrl,
        deployBlock,
        new Deployment.Contracts(
            stakeManager, runManager, disputeManager, shares, governor, timelock),
        runId,
        List.of());
  }

  private String create(String binary, List<Type> constructorArgs) {
    String data = binary + FunctionEncoder.encodeConstructor(constructorArgs);
    TransactionReceipt receipt = tx.send(null, data, BigInteger.ZERO);
    return receipt.getContractAddress();
  }

  /** Wrappers here only encode calls and read: the sender signs what they encode. */
  private ReadonlyTransactionManager readOnly() {
    return new ReadonlyTransactionManager(tx.web3j(), tx.from());
  }

  private static <T> T view(org.web3j.protocol.core.RemoteFunctionCall<T> call) {
    try {
      return call.send();
    } catch (Exception e) {
      throw new IllegalStateException("view call failed: " + e.getMessage(), e);
    }
  }

  private long blockNumber() {
    try {
      return tx.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
