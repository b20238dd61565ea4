package io.protolearn.protocol.dispute;

/** A jury challenge's status, with the DisputeManager's codes (STATUS_OPEN, ...). */
public enum ChallengeStatus {
  OPEN(1),
  GUILTY(2),
  INNOCENT(3);

  private final int code;

  ChallengeStatus(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static ChallengeStatus of(long code) {
    for (ChallengeStatus s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown challenge status " + code);
  }
}
