package io.protolearn.chain.model;

import io.protolearn.protocol.crypto.Bytes32;

/** A juror's ballot in a dispute (DisputeManager.ballotOf). */
public record Ballot(boolean drawn, Bytes32 commitment, boolean revealed, boolean guilty) {

  public boolean committed() {
    return !commitment.equals(Bytes32.ZERO);
  }
}
