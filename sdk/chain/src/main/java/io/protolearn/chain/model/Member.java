package io.protolearn.chain.model;

import io.protolearn.protocol.run.MemberRole;

/**
 * An account's role in a run (RunManager.memberOf): held in rounds {@code fromRound <= r <
 * untilRound} ({@code untilRound} = {@link #FOREVER} while active).
 */
public record Member(MemberRole role, int stage, long fromRound, long untilRound, String endpoint) {
  /** untilRound of a member that has not left (type(uint32).max). */
  public static final long FOREVER = 0xFFFFFFFFL;

  public boolean isMiner() {
    return role == MemberRole.MINER;
  }

  public boolean isValidator() {
    return role == MemberRole.VALIDATOR;
  }

  /** Whether the member has not asked to leave. */
  public boolean active() {
    return untilRound == FOREVER;
  }
}
