package io.protolearn.protocol.dispute;

/**
 * The faults the DisputeManager punishes, with the codes the contracts give them: fraud kinds 0..3
 * (the {@code kind} of {@code FraudProven}) are decided on chain at once; challenge kinds 0..1 (the
 * {@code kind} of {@code ChallengeOpened} and of a challenge) are decided by a jury. {@link #tag()}
 * is the first word of the fault's evidence hash ({@link Evidence}): the fraud kind, or {@value
 * #CHALLENGE_TAG} + the challenge kind. Pinned by contracts/test/vectors/evidence.json.
 */
public enum FaultKind {
  CHAIN_BREAK("chain-break", false, 0),
  BASE_MISMATCH("base-mismatch", false, 1),
  EQUIVOCATION("equivocation", false, 2),
  MALFORMED("malformed", false, 3),
  WRONG_RESULT("wrong-result", true, 0),
  UNAVAILABLE("unavailable", true, 1);

  /** The evidence tag of challenge kind k is CHALLENGE_TAG + k. */
  public static final int CHALLENGE_TAG = 16;

  private final String label;
  private final boolean jury;
  private final int code;

  FaultKind(String label, boolean jury, int code) {
    this.label = label;
    this.jury = jury;
    this.code = code;
  }

  /** A short stable name, for markers, logs and metrics. */
  public String label() {
    return label;
  }

  /** True for a jury challenge, false for a fraud proof decided on chain. */
  public boolean jury() {
    return jury;
  }

  /** The kind number on chain: the fraud kind, or the challenge kind for a jury fault. */
  public int code() {
    return code;
  }

  /** The first word of the evidence hash. */
  public int tag() {
    return jury ? CHALLENGE_TAG + code : code;
  }

  /** The fault of a {@code FraudProven} event's kind. */
  public static FaultKind ofFraud(long code) {
    return find(false, code);
  }

  /** The fault of a challenge's kind. */
  public static FaultKind ofChallenge(long code) {
    return find(true, code);
  }

  private static FaultKind find(boolean jury, long code) {
    for (FaultKind k : values()) {
      if (k.jury == jury && k.code == code) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown " + (jury ? "challenge" : "fraud") + " kind " + code);
  }
}
