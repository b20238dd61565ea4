package io.protolearn.validator.node;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.model.AttestationInfo;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.node.settle.RoundSettler;
import io.protolearn.protocol.crypto.Address;
import java.math.BigInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validator's finalize, claim and withdraw (DESIGN.md §6): rounds are finalized in turn once
 * their vote window has passed, the attested ones claimed, and dispute payments withdrawn.
 */
final class Settlement {
  private static final Logger LOG = LoggerFactory.getLogger(Settlement.class);

  private final ProtocolClient chain;
  private final Address self;
  private final ValidatorMetrics metrics;
  private final RoundSettler settler;
  private long from;

  Settlement(ProtocolClient chain, Address self, ValidatorMetrics metrics, long from) {
    this.chain = chain;
    this.self = self;
    this.metrics = metrics;
    this.settler = new RoundSettler(chain.runs(), self.toHex(), RoundSettler.Policy.VALIDATOR);
    this.from = from;
  }

  /** The first round not settled yet. */
  long next() {
    return from;
  }

  /** Does what is due at block {@code head}. */
  void settle(long head) {
    long current = chain.runs().currentRound();
    from =
        settler
            .settle(
                from,
                current,
                head,
                r -> {
                  AttestationInfo a = chain.runs().attestationOf(r, self.toHex());
                  return a.attested() && !a.claimed();
                },
                c -> {
                  metrics.sharesClaimed.inc(c.amount().doubleValue());
                  LOG.info("round {}: claimed {} share wei", c.round(), c.amount());
                })
            .next();
    BigInteger owed = owed();
    if (owed.signum() > 0) {
      try {
        chain.disputes().withdrawPayments();
        metrics.paymentsWithdrawn.inc(owed.doubleValue());
        LOG.info("withdrew {} wei of dispute payments", owed);
      } catch (ProtocolRevertException e) {
        LOG.warn("withdrawal refused: {}", e.getMessage());
      }
    }
  }

  /** Dispute payments owed to this validator. */
  BigInteger owed() {
    return chain.disputes().owedTo(self.toHex());
  }
}
