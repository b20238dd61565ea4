package io.protolearn.validator.node;

import io.protolearn.chain.client.DisputeClient;
import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.events.ChainEvent;
import io.protolearn.chain.events.EventFeed;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.node.artifact.ProvenLeaf;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.validator.node.CheckOutcome.Fault;
import io.protolearn.validator.node.CheckOutcome.Match;
import io.protolearn.validator.node.CheckOutcome.Unavailable;
import io.protolearn.validator.node.CheckOutcome.WrongResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files what a round's checks found (DESIGN.md §5): one response per accused miner — an on-chain
 * proof if any, else a wrong-result challenge, else an unavailability challenge — each guarded by a
 * durable marker written before its transaction is sent, and none where the evidence is already
 * used, the miner convicted, or an open challenge already covers the fault.
 */
final class FaultFiler {
  private static final Logger LOG = LoggerFactory.getLogger(FaultFiler.class);

  private final ProtocolClient chain;
  private final EventFeed events;
  private final StepChecker checker;
  private final MarkerStore markers;
  private final ValidatorMetrics metrics;
  private final ValidatorService.CrashPoints crash;
  private final long runId;

  FaultFiler(
      ProtocolClient chain,
      EventFeed events,
      StepChecker checker,
      MarkerStore markers,
      ValidatorMetrics metrics,
      ValidatorService.CrashPoints crash) {
    this.chain = chain;
    this.events = events;
    this.checker = checker;
    this.markers = markers;
    this.metrics = metrics;
    this.crash = crash;
    this.runId = chain.runs().runId();
  }

  /**
   * One response per accused miner: an on-chain proof if any, else a wrong result, else
   * unavailable.
   */
  void respond(RoundView view, List<? extends CheckOutcome> outcomes, Runnable between) {
    for (Fault f : strongest(outcomes)) {
      file(view, f);
      between.run();
    }
  }

  /**
   * Each accused miner's strongest fault: an on-chain proof, else a wrong result, else unavailable.
   */
  static List<Fault> strongest(List<? extends CheckOutcome> outcomes) {
    Map<Address, List<Fault>> byMiner = new LinkedHashMap<>();
    for (CheckOutcome o : outcomes) {
      if (o instanceof Fault f) {
        byMiner.computeIfAbsent(f.accused(), a -> new ArrayList<>()).add(f);
      }
    }
    List<Fault> out = new ArrayList<>();
    for (List<Fault> faults : byMiner.values()) {
      faults.sort(Comparator.comparingInt(FaultFiler::rank));
      out.add(faults.get(0));
    }
    return out;
  }

  private static int rank(Fault f) {
    return f instanceof Unavailable ? 2 : f instanceof WrongResult ? 1 : 0;
  }

  private void file(RoundView view, Fault fault) {
    long round = view.round();
    Bytes32 evidence = fault.evidenceHash(runId, round);
    String key = "fault-" + round + "-" + evidence.toHex().substring(2, 26);
    if (markers.has(key + ".done")) {
      return;
    }
    if (evidenceUsed(evidence)) {
      markers.put(key + ".done", "already on chain");
      return;
    }
    if (chain.runs().commitmentOf(round, fault.accused().toHex()).convicted()) {
      return;
    }
    if ((fault instanceof WrongResult || fault instanceof Unavailable)
        && agreesWithOpenChallenge(view, fault.accused())) {
      markers.put(key + ".done", "an open challenge already covers it");
      return;
    }
    markers.put(key, fault.kind() + " " + fault.accused() + " step " + fault.step());
    crash.reached("fault");
    try {
      send(view, fault);
      metrics.filed.labelValues(fault.kind()).inc();
      crash.reached("fault-sent");
      LOG.info(
          "round {}: filed {} against {} (step {}): {}",
          round,
          fault.kind(),
          fault.accused(),
          fault.step(),
          fault.describe());
      markers.put(key + ".done", "sent");
    } catch (ProtocolRevertException e) {
      LOG.warn(
          "round {}: {} against {} refused: {}",
          round,
          fault.kind(),
          fault.accused(),
          e.getMessage());
      markers.put(key + ".done", "refused " + e.errorName());
    }
  }

  private void send(RoundView view, Fault fault) {
    long round = view.round();
    String miner = fault.accused().toHex();
    var c = view.commitments().get(fault.accused()).commitment();
    DisputeClient d = chain.disputes();
    if (fault instanceof CheckOutcome.ChainBreak cb) {
      d.proveChainBreak(round, miner, c, provenOf(cb.a()), provenOf(cb.b()));
    } else if (fault instanceof CheckOutcome.BaseMismatch bm) {
      d.proveBaseMismatch(round, miner, c, provenOf(bm.leaf()));
    } else if (fault instanceof CheckOutcome.Malformed m) {
      d.proveMalformed(round, miner, c, provenOf(m.leaf()));
    } else if (fault instanceof CheckOutcome.Equivocation eq) {
      d.proveEquivocation(eq.message(), eq.signature(), c, provenOf(eq.senderLeaf()));
    } else if (fault instanceof WrongResult w) {
      d.challengeWrongResult(round, miner, c, provenOf(w.leaf()), view.params().challengeBond);
    } else if (fault instanceof Unavailable u) {
      d.challengeUnavailable(round, miner, c, u.step(), view.params().challengeBond);
    }
  }

  /**
   * Whether a challenge against the miner's round is already open on a step this validator also
   * finds faulty (it checks that step itself, as a juror would). Then that challenge convicts and a
   * second one would only lock another bond; a challenge on a step it finds honest does not count,
   * so a bogus first challenge cannot shield the miner.
   */
  private boolean agreesWithOpenChallenge(RoundView view, Address miner) {
    long from = view.clock().seedBlock();
    for (ChainEvent e : events.poll(from, chain.blockNumber())) {
      if (e instanceof ChainEvent.ChallengeOpened o
          && o.runId() == runId
          && o.round() == view.round()
          && Address.fromHex(o.miner()).equals(miner)
          && chain.disputes().challenge(o.challengeId()).open()
          && !(checker.check(view, miner, Math.toIntExact(o.step())) instanceof Match)) {
        LOG.info(
            "round {}: challenge {} against {} (step {}) is open and agreed with; not filing another",
            view.round(),
            o.challengeId(),
            miner,
            o.step());
        return true;
      }
    }
    return false;
  }

  private static DisputeClient.ProvenLeaf provenOf(ProvenLeaf p) {
    return new DisputeClient.ProvenLeaf(p.leaf(), p.proof());
  }

  private boolean evidenceUsed(Bytes32 evidence) {
    return chain.disputes().evidenceUsed(evidence);
  }
}
