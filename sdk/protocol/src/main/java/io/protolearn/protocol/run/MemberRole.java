package io.protolearn.protocol.run;

/** An account's role in a run, with RunManager's codes (Member.role). */
public enum MemberRole {
  NONE(0),
  MINER(1),
  VALIDATOR(2);

  private final int code;

  MemberRole(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static MemberRole of(long code) {
    for (MemberRole r : values()) {
      if (r.code == code) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown member role " + code);
  }
}
