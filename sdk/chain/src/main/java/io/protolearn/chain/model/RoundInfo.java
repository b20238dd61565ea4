package io.protolearn.chain.model;

import io.protolearn.protocol.crypto.Bytes32;
import java.math.BigInteger;

/** A round's totals (RunManager.roundInfo); {@code seed} is zero until drawn. */
public record RoundInfo(
    Bytes32 seed,
    long acceptedSteps,
    long attesters,
    long openDisputes,
    boolean finalized,
    BigInteger sharesPerRound,
    int validatorShareBps) {

  public boolean seedDrawn() {
    return !seed.equals(Bytes32.ZERO);
  }
}
