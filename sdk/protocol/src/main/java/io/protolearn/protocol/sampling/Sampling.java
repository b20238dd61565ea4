package io.protolearn.protocol.sampling;

import io.protolearn.protocol.crypto.AbiEncoder;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Which steps are checked and by whom (DESIGN.md §5). A step {@code (miner, i)} is sampled iff
 * {@code uint(keccak256(abi.encodePacked(seed, miner, uint256(i)))) % 10000 < sampleRateBps} and is
 * assigned to validator {@code uint(keccak256(abi.encodePacked(seed, miner, uint256(i), "assign")))
 * % |V|} of the round's sorted validator snapshot.
 */
public final class Sampling {
  private static final BigInteger BPS = BigInteger.valueOf(10_000);
  private static final byte[] ASSIGN = "assign".getBytes(StandardCharsets.US_ASCII);

  private Sampling() {}

  public static boolean isSampled(Bytes32 seed, Address miner, long step, int sampleRateBps) {
    if (sampleRateBps < 0 || sampleRateBps > 10_000) {
      throw new IllegalArgumentException("sampleRateBps out of [0, 10000]: " + sampleRateBps);
    }
    byte[] h = Keccak.keccak256(packed(seed, miner, step));
    return new BigInteger(1, h).mod(BPS).intValue() < sampleRateBps;
  }

  /** Index into the round's validator snapshot of the validator who checks the step. */
  public static int assignedValidator(Bytes32 seed, Address miner, long step, int validatorCount) {
    if (validatorCount <= 0) {
      throw new IllegalArgumentException("no validators to assign to");
    }
    byte[] h = Keccak.keccak256(packed(seed, miner, step), ASSIGN);
    return new BigInteger(1, h).mod(BigInteger.valueOf(validatorCount)).intValue();
  }

  /** The sampled steps of a miner's round among {@code stepCount} steps. */
  public static List<Integer> sampledSteps(
      Bytes32 seed, Address miner, int stepCount, int sampleRateBps) {
    List<Integer> steps = new ArrayList<>();
    for (int i = 0; i < stepCount; i++) {
      if (isSampled(seed, miner, i, sampleRateBps)) {
        steps.add(i);
      }
    }
    return steps;
  }

  private static byte[] packed(Bytes32 seed, Address miner, long step) {
    return AbiEncoder.create().bytes32(seed).raw(miner.bytes()).uint(step).toBytes();
  }
}
