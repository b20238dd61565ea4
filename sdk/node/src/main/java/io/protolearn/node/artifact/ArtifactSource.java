package io.protolearn.node.artifact;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.leaf.RoundTree;
import java.util.Optional;

/**
 * What {@link ArtifactRoutes} serve: a miner's committed rounds (the node's store and journal, or a
 * test's in-memory rounds) and who may read them. The lookups of a round, its evidence and its
 * delta may block (they run on worker threads); the rest must not.
 */
public interface ArtifactSource {
  /** Who a signer is for a round's artifacts. */
  enum Access {
    /** A validator of the round: every artifact. */
    VALIDATOR,
    /** A stage peer of the round, or a validator of a round since: commitment and delta only. */
    PEER,
    NONE
  }

  /** A committed round as served: its number, its commitment and the tree of its leaves. */
  record ServedRound(long round, ServedCommitment commitment, RoundTree tree) {}

  Access access(long round, Address signer);

  /** The newest round that has begun; later rounds are 404. */
  long currentRound();

  /** Rounds at or before {@code currentRound() - retentionRounds()} are 410. */
  long retentionRounds();

  /** False for a withholder (a devnet adversary): leaves and evidence are refused with 503. */
  default boolean servesValidators() {
    return true;
  }

  /** False for a peer-withholder (a devnet adversary): commitment and delta refused to peers. */
  default boolean servesPeers() {
    return true;
  }

  /** The round if this miner committed it and still has it (may block). */
  Optional<ServedRound> round(long round);

  /** The evidence of a step of a served round, in the training core's codec (may block). */
  byte[] evidence(ServedRound round, int step);

  /** The delta of a served round, in the canonical tensor-list encoding (may block). */
  byte[] delta(ServedRound round);
}
