package io.protolearn.validator.node;

import io.protolearn.node.artifact.ArtifactClient;
import java.time.Duration;

/**
 * The validator node's settings.
 *
 * @param workers threads that fetch and check sampled steps (recomputation itself is serialized per
 *     process by DJL, docs/TRAINING.md)
 * @param fetchTimeout connect, idle and overall limit of one artifact request
 * @param maxLeafBytes largest leaf response accepted
 * @param maxEvidenceBytes largest evidence response accepted
 * @param safetyBlocks blocks kept free before {@code checkEnd} to send the challenges and the
 *     attestation; checks still running then are abandoned and reported, not attested
 * @param blockTime expected time per block, to turn the block deadline into a wait
 * @param claim whether to finalize and claim rounds and withdraw dispute payments
 */
public record ValidatorConfig(
    int workers,
    Duration fetchTimeout,
    long maxLeafBytes,
    long maxEvidenceBytes,
    long safetyBlocks,
    Duration blockTime,
    boolean claim) {
  public static final int DEFAULT_WORKERS = 2;
  public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(20);
  public static final long DEFAULT_MAX_LEAF_BYTES = ArtifactClient.DEFAULT_MAX_LEAF_BYTES;
  public static final long DEFAULT_MAX_EVIDENCE_BYTES = ArtifactClient.DEFAULT_MAX_PAYLOAD_BYTES;
  public static final long DEFAULT_SAFETY_BLOCKS = 1;
  public static final Duration DEFAULT_BLOCK_TIME = Duration.ofSeconds(2);
  public static final ValidatorConfig DEFAULT =
      new ValidatorConfig(
          DEFAULT_WORKERS,
          DEFAULT_FETCH_TIMEOUT,
          DEFAULT_MAX_LEAF_BYTES,
          DEFAULT_MAX_EVIDENCE_BYTES,
          DEFAULT_SAFETY_BLOCKS,
          DEFAULT_BLOCK_TIME,
          true);

  public ValidatorConfig {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1");
    }
    if (safetyBlocks < 0) {
      throw new IllegalArgumentException("safetyBlocks must be >= 0");
    }
  }

  public ValidatorConfig withWorkers(int n) {
    return new ValidatorConfig(
        n, fetchTimeout, maxLeafBytes, maxEvidenceBytes, safetyBlocks, blockTime, claim);
  }

  public ValidatorConfig withFetchTimeout(Duration d) {
    return new ValidatorConfig(
        workers, d, maxLeafBytes, maxEvidenceBytes, safetyBlocks, blockTime, claim);
  }

  public ValidatorConfig withMaxEvidenceBytes(long n) {
    return new ValidatorConfig(
        workers, fetchTimeout, maxLeafBytes, n, safetyBlocks, blockTime, claim);
  }

  public ValidatorConfig withBlockTime(Duration d) {
    return new ValidatorConfig(
        workers, fetchTimeout, maxLeafBytes, maxEvidenceBytes, safetyBlocks, d, claim);
  }
}
