package io.protolearn.miner.node;

import io.protolearn.node.store.StepKey;
import io.protolearn.node.store.StepStore;
import io.protolearn.node.store.StepStore.ArtifactKind;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.model.StageState;
import io.protolearn.training.tensor.TensorCodec;
import io.protolearn.training.verify.EvidenceCodec;
import io.protolearn.training.verify.StepEvidence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the node serves of its committed rounds, read back from the step store and the journal (so a
 * restarted node serves every committed round it still retains): the commitment, a leaf with its
 * Merkle proof, a step's evidence (exact mode) and the round's delta.
 */
final class ArtifactService {
  /** A served round: its journal record and its tree rebuilt from the stored leaves. */
  record ServedRound(RoundJournal.Trained trained, RoundTree tree) {}

  private final long runId;
  private final StepStore store;
  private final RoundJournal journal;
  private final TensorMessage.Domain domain;
  private final boolean servesValidators;
  private final Map<Long, ServedRound> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ServedRound> eldest) {
          return size() > 8;
        }
      };

  private final OnChain onChain;
  private final boolean servesPeers;

  ArtifactService(long runId, StepStore store, RoundJournal journal, TensorMessage.Domain domain) {
    this(runId, store, journal, domain, Adversary.HONEST, (r, c) -> false);
  }

  /** Whether the chain holds exactly this commitment of this miner for the round (may block). */
  @FunctionalInterface
  interface OnChain {
    boolean committed(long round, Commitment commitment);
  }

  /**
   * {@code adversary}: what is withheld from whom ({@link Adversary#servesValidators}, {@link
   * Adversary#servesPeers}).
   */
  ArtifactService(
      long runId,
      StepStore store,
      RoundJournal journal,
      TensorMessage.Domain domain,
      Adversary adversary,
      OnChain onChain) {
    this.servesValidators = adversary.servesValidators();
    this.servesPeers = adversary.servesPeers();
    this.onChain = onChain;
    this.runId = runId;
    this.store = store;
    this.journal = journal;
    this.domain = domain;
  }

  /** The round if this miner trained and committed it and its leaves are still stored. */
  synchronized Optional<ServedRound> round(long round) {
    ServedRound cached = cache.get(round);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<RoundJournal.Trained> t = journal.trained(round);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    if (!journal.committed(round)) {
      // the commit may have landed while its receipt was lost (a timeout under load, a crash):
      // the chain decides, or the round's stage peers could never obtain its delta
      if (!onChain.committed(round, t.get().commitment())) {
        return Optional.empty();
      }
      journal.markCommitted(round, "found on chain");
    }
    RoundJournal.Trained tr = t.get();
    if (store.sealedStepCount(runId, round, tr.stage(), tr.lane()).isEmpty()) {
      return Optional.empty();
    }
    TreeMap<Integer, byte[]> raw = store.leaves(runId, round, tr.stage(), tr.lane());
    List<StepLeaf> leaves = new ArrayList<>();
    for (byte[] b : raw.values()) {
      leaves.add(StepLeaf.abiDecode(b));
    }
    if (leaves.size() != tr.stepCount()) {
      return Optional.empty();
    }
    ServedRound served = new ServedRound(tr, RoundTree.of(leaves));
    cache.put(round, served);
    return Optional.of(served);
  }

  /** False for a withholder: leaves and evidence are refused to validators. */
  boolean servesValidators() {
    return servesValidators;
  }

  /** False for a peer-withholder: commitment and delta are refused to stage peers. */
  boolean servesPeers() {
    return servesPeers;
  }

  Optional<byte[]> delta(long round) {
    return round(round).flatMap(r -> journal.deltaBytes(round));
  }

  /** The evidence of a step (exact mode: no served tensors). */
  byte[] evidence(ServedRound served, int step) {
    RoundJournal.Trained t = served.trained();
    List<Address> members = t.memberAddresses();
    int s = t.stage();
    StepEvidence.Commitment c =
        new StepEvidence.Commitment(
            runId,
            t.round(),
            members.get(s),
            s,
            t.lane(),
            served.tree().root(),
            t.commitment().baseHash(),
            s == 0 ? null : members.get(s - 1),
            s == members.size() - 1 ? null : members.get(s + 1),
            members.get(0),
            domain);
    StepKey target = new StepKey(runId, t.round(), s, t.lane(), step);
    Map.Entry<Integer, byte[]> cp =
        store
            .checkpointAtOrBefore(target)
            .orElseThrow(() -> new IllegalStateException("no checkpoint before step " + step));
    List<StepEvidence.StepRecord> records = new ArrayList<>();
    for (int k = cp.getKey(); k <= step; k++) {
      StepKey key = new StepKey(runId, t.round(), s, t.lane(), k);
      StepLeaf leaf = served.tree().leaf(k);
      records.add(
          new StepEvidence.StepRecord(
              leaf,
              served.tree().proof(leaf),
              TensorCodec.decode(store.artifact(key, ArtifactKind.INPUT).orElseThrow()),
              TensorCodec.decode(store.artifact(key, ArtifactKind.UPSTREAM).orElseThrow()),
              store.artifact(key, ArtifactKind.INPUT_MESSAGE).orElse(null),
              store.artifact(key, ArtifactKind.UPSTREAM_MESSAGE).orElse(null),
              null));
    }
    return EvidenceCodec.encode(
        new StepEvidence(c, cp.getKey(), StageState.decode(cp.getValue()), records));
  }
}
