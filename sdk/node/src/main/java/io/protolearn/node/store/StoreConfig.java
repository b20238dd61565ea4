package io.protolearn.node.store;

/**
 * Storage settings: how many rounds back the store keeps (older rounds are pruned; a round must
 * stay until its check and dispute windows are over).
 */
public record StoreConfig(int retentionRounds) {
  public static final int DEFAULT_RETENTION_ROUNDS = 8;
  public static final StoreConfig DEFAULT = new StoreConfig(DEFAULT_RETENTION_ROUNDS);

  public StoreConfig {
    if (retentionRounds < 1) {
      throw new IllegalArgumentException("retentionRounds must be at least 1");
    }
  }
}
