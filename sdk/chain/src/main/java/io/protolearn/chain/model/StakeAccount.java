package io.protolearn.chain.model;

import java.math.BigInteger;

/** An account's stake in a run (StakeManager.accountOf); amounts in wei. */
public record StakeAccount(
    BigInteger staked,
    BigInteger unbonding,
    long releaseBlock,
    long locks,
    BigInteger required,
    BigInteger deposited,
    BigInteger slashed) {}
