package io.protolearn.validator.node;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.merkle.StandardMerkleTree;
import io.protolearn.protocol.round.Availability;
import io.protolearn.validator.node.CheckOutcome.Match;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attests a checked round once (DESIGN.md §5): the receipts of the matching checks as a Merkle root
 * and the bitmap of the committed updates it verified (§7 v2), with a durable marker written before
 * the transaction; nothing when no assigned check finished.
 */
final class Attester {
  private static final Logger LOG = LoggerFactory.getLogger(Attester.class);

  private final ProtocolClient chain;
  private final Address self;
  private final MarkerStore markers;
  private final ValidatorMetrics metrics;
  private final ValidatorService.CrashPoints crash;

  Attester(
      ProtocolClient chain,
      MarkerStore markers,
      ValidatorMetrics metrics,
      ValidatorService.CrashPoints crash) {
    this.chain = chain;
    this.self = Address.fromHex(chain.address());
    this.markers = markers;
    this.metrics = metrics;
    this.crash = crash;
  }

  void attest(RoundView view, List<CheckOutcome> done, int assigned, Set<Address> available) {
    long round = view.round();
    List<Bytes32> receipts = new ArrayList<>();
    for (CheckOutcome o : done) {
      if (o instanceof Match m) {
        receipts.add(m.receipt());
      }
    }
    if (done.isEmpty() && assigned > 0) {
      LOG.warn("round {}: none of {} assigned checks finished; not attesting", round, assigned);
      return;
    }
    if (chain.runs().attestationOf(round, self.toHex()).attested()) {
      return;
    }
    Bytes32 root = receipts.isEmpty() ? Bytes32.ZERO : StandardMerkleTree.of(receipts).root();
    markers.put("attest-" + round, root.toHex() + " " + receipts.size());
    crash.reached("attest");
    try {
      chain
          .runs()
          .attest(round, root, receipts.size(), Availability.encode(view.order(), available));
      metrics.attestations.inc();
      crash.reached("attest-sent");
      LOG.info(
          "round {}: attested {} checks, receipts root {}, {} of {} committed updates available",
          round,
          receipts.size(),
          root,
          available.size(),
          view.commitments().size());
      markers.put("attested-" + round, root.toHex());
    } catch (ProtocolRevertException e) {
      LOG.warn("round {}: attestation refused: {}", round, e.getMessage());
    }
  }
}
