package io.protolearn.chain.gov;

import io.protolearn.chain.contracts.RunManager;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bounds of a run's parameters, mirrored from {@code contracts/src/libraries/RunParams.sol} so
 * a proposal out of bounds is refused before it is sent; the contract refuses it anyway ({@code
 * RunManagerParamOutOfBounds}) if sent.
 */
public final class ParamBounds {
  private static final BigInteger ETHER = BigInteger.TEN.pow(18);
  private static final BigInteger MAX_STAKE = ETHER.multiply(BigInteger.valueOf(1_000_000));
  private static final BigInteger BPS = BigInteger.valueOf(10_000);
  private static final BigInteger MAX_WINDOW = BigInteger.valueOf(1_000_000);

  /** The parameter names, in the order of the contract's Params struct. */
  public static final List<String> NAMES =
      List.of(
          "minMinerStake",
          "minValidatorStake",
          "sampleRateBps",
          "slashBps",
          "challengeBond",
          "jurorCount",
          "jurorBond",
          "commitBlocks",
          "checkBlocks",
          "voteBlocks",
          "sharesPerRound",
          "validatorShareBps",
          "unbondingBlocks");

  private ParamBounds() {}

  /** The parameters as a name → value map, in struct order. */
  public static Map<String, BigInteger> toMap(RunManager.Params p) {
    Map<String, BigInteger> m = new LinkedHashMap<>();
    m.put("minMinerStake", p.minMinerStake);
    m.put("minValidatorStake", p.minValidatorStake);
    m.put("sampleRateBps", p.sampleRateBps);
    m.put("slashBps", p.slashBps);
    m.put("challengeBond", p.challengeBond);
    m.put("jurorCount", p.jurorCount);
    m.put("jurorBond", p.jurorBond);
    m.put("commitBlocks", p.commitBlocks);
    m.put("checkBlocks", p.checkBlocks);
    m.put("voteBlocks", p.voteBlocks);
    m.put("sharesPerRound", p.sharesPerRound);
    m.put("validatorShareBps", p.validatorShareBps);
    m.put("unbondingBlocks", p.unbondingBlocks);
    return m;
  }

  public static RunManager.Params fromMap(Map<String, BigInteger> m) {
    return new RunManager.Params(
        m.get("minMinerStake"),
        m.get("minValidatorStake"),
        m.get("sampleRateBps"),
        m.get("slashBps"),
        m.get("challengeBond"),
        m.get("jurorCount"),
        m.get("jurorBond"),
        m.get("commitBlocks"),
        m.get("checkBlocks"),
        m.get("voteBlocks"),
        m.get("sharesPerRound"),
        m.get("validatorShareBps"),
        m.get("unbondingBlocks"));
  }

  /** {@code current} with one parameter changed; unknown names are refused. */
  public static RunManager.Params with(RunManager.Params current, String name, BigInteger value) {
    Map<String, BigInteger> m = toMap(current);
    if (!m.containsKey(name)) {
      throw new IllegalArgumentException(
          "unknown parameter '" + name + "'; one of " + String.join(", ", NAMES));
    }
    m.put(name, value);
    return fromMap(m);
  }

  /** The first violation, as the contract would name it, or empty when the set is valid. */
  public static Optional<String> violation(RunManager.Params p) {
    BigInteger minUnbonding =
        p.commitBlocks
            .add(BigInteger.TWO.multiply(p.checkBlocks.add(p.voteBlocks)))
            .add(BigInteger.ONE);
    Object[][] checks = {
      {"minMinerStake", p.minMinerStake, BigInteger.ONE, MAX_STAKE},
      {"minValidatorStake", p.minValidatorStake, BigInteger.ONE, MAX_STAKE},
      {"sampleRateBps", p.sampleRateBps, BigInteger.ONE, BPS},
      {"slashBps", p.slashBps, BigInteger.ONE, BPS},
      {"challengeBond", p.challengeBond, BigInteger.ONE, MAX_STAKE},
      {"jurorCount", p.jurorCount, BigInteger.ONE, BigInteger.valueOf(31)},
      {"jurorBond", p.jurorBond, BigInteger.ONE, p.minValidatorStake},
      {"commitBlocks", p.commitBlocks, BigInteger.ONE, MAX_WINDOW},
      {"checkBlocks", p.checkBlocks, BigInteger.TWO, MAX_WINDOW},
      {"voteBlocks", p.voteBlocks, BigInteger.TWO, MAX_WINDOW},
      {"sharesPerRound", p.sharesPerRound, BigInteger.ONE, BigInteger.TEN.pow(27)},
      {"validatorShareBps", p.validatorShareBps, BigInteger.ZERO, BPS},
      {"unbondingBlocks", p.unbondingBlocks, minUnbonding, BigInteger.valueOf(10_000_000)},
    };
    for (Object[] c : checks) {
      BigInteger v = (BigInteger) c[1];
      BigInteger min = (BigInteger) c[2];
      BigInteger max = (BigInteger) c[3];
      if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
        return Optional.of(c[0] + " = " + v + " is outside [" + min + ", " + max + "]");
      }
    }
    if (!p.jurorCount.testBit(0)) {
      return Optional.of("jurorCount = " + p.jurorCount + " is even: a full jury must never tie");
    }
    return Optional.empty();
  }
}
