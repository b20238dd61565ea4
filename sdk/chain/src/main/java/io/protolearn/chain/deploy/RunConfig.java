package io.protolearn.chain.deploy;

import io.protolearn.chain.contracts.RunManager;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.run.SpecHashes;
import java.math.BigInteger;

/**
 * What the deployer registers: the run's spec hashes and shape, its bounded parameters and its
 * governance settings. {@link #devnet(Bytes32, Bytes32, Bytes32, Bytes32, Bytes32, int, int)} gives
 * small windows that suit a local chain.
 */
public record RunConfig(
    Bytes32 modelSpecHash,
    Bytes32 dataSpecHash,
    Bytes32 trainSpecHash,
    Bytes32 dataRoot,
    Bytes32 initialCheckpointHash,
    int stageCount,
    int maxStepsPerRound,
    long startDelayBlocks,
    RunManager.Params params,
    Governance governance,
    String sharesName,
    String sharesSymbol) {

  private static final BigInteger ETHER = BigInteger.TEN.pow(18);

  /** Governor and timelock settings, in blocks (and seconds for the timelock's delay). */
  public record Governance(
      long timelockMinDelaySeconds,
      long votingDelayBlocks,
      long votingPeriodBlocks,
      BigInteger proposalThreshold,
      int quorumPercent) {
    public static Governance devnet() {
      return new Governance(2, 1, 20, BigInteger.ZERO, 4);
    }
  }

  public static RunManager.Params devnetParams() {
    return new RunManager.Params(
        ETHER, // minMinerStake
        ETHER, // minValidatorStake
        BigInteger.valueOf(1_000), // sampleRateBps
        BigInteger.valueOf(5_000), // slashBps
        ETHER.divide(BigInteger.TEN), // challengeBond
        BigInteger.valueOf(3), // jurorCount
        ETHER.divide(BigInteger.valueOf(5)), // jurorBond
        BigInteger.valueOf(10), // commitBlocks
        BigInteger.valueOf(10), // checkBlocks
        BigInteger.valueOf(10), // voteBlocks
        ETHER.multiply(BigInteger.valueOf(1_000)), // sharesPerRound
        BigInteger.valueOf(2_000), // validatorShareBps
        BigInteger.valueOf(60)); // unbondingBlocks
  }

  public static RunConfig devnet(
      Bytes32 modelSpecHash,
      Bytes32 dataSpecHash,
      Bytes32 trainSpecHash,
      Bytes32 dataRoot,
      Bytes32 initialCheckpointHash,
      int stageCount,
      int maxStepsPerRound) {
    return new RunConfig(
        modelSpecHash,
        dataSpecHash,
        trainSpecHash,
        dataRoot,
        initialCheckpointHash,
        stageCount,
        maxStepsPerRound,
        5,
        devnetParams(),
        Governance.devnet(),
        "protolearn run shares",
        "PLS");
  }

  /** {@link #devnet(Bytes32, Bytes32, Bytes32, Bytes32, Bytes32, int, int)} for these specs. */
  public static RunConfig devnet(SpecHashes specs, int maxStepsPerRound) {
    return devnet(
        specs.modelSpecHash(),
        specs.dataSpecHash(),
        specs.trainSpecHash(),
        specs.dataRoot(),
        specs.initialCheckpointHash(),
        specs.stageCount(),
        maxStepsPerRound);
  }

  public RunConfig withParams(RunManager.Params p) {
    return new RunConfig(
        modelSpecHash,
        dataSpecHash,
        trainSpecHash,
        dataRoot,
        initialCheckpointHash,
        stageCount,
        maxStepsPerRound,
        startDelayBlocks,
        p,
        governance,
        sharesName,
        sharesSymbol);
  }

  public RunConfig withStartDelay(long blocks) {
    return new RunConfig(
        modelSpecHash,
        dataSpecHash,
        trainSpecHash,
        dataRoot,
        initialCheckpointHash,
        stageCount,
        maxStepsPerRound,
        blocks,
        params,
        governance,
        sharesName,
        sharesSymbol);
  }
}
