package io.protolearn.chain.client;

import io.protolearn.chain.contracts.DisputeManager;
import io.protolearn.chain.contracts.RunManager;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.StepLeaf;
import java.math.BigInteger;
import java.util.List;

/** Conversions between protocol values and the generated wrappers' structs. */
final class Convert {
  private Convert() {}

  static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  static DisputeManager.StepLeaf leaf(StepLeaf l) {
    return new DisputeManager.StepLeaf(
        big(l.runId()),
        big(l.round()),
        l.miner().toHex(),
        big(l.stage()),
        big(l.lane()),
        big(l.step()),
        l.paramsBeforeHash().bytes(),
        l.optStateBeforeHash().bytes(),
        l.inputHash().bytes(),
        l.upstreamGradHash().bytes(),
        l.outputHash().bytes(),
        l.inputGradHash().bytes(),
        l.paramGradHash().bytes(),
        l.paramsAfterHash().bytes());
  }

  static DisputeManager.Commitment disputeCommitment(Commitment c) {
    return new DisputeManager.Commitment(
        c.root().bytes(), big(c.stepCount()), c.deltaHash().bytes(), c.baseHash().bytes());
  }

  static RunManager.Commitment runCommitment(Commitment c) {
    return new RunManager.Commitment(
        c.root().bytes(), big(c.stepCount()), c.deltaHash().bytes(), c.baseHash().bytes());
  }

  static DisputeManager.TensorMessage message(TensorMessage m) {
    return new DisputeManager.TensorMessage(
        big(m.runId()),
        big(m.round()),
        big(m.lane()),
        big(m.step()),
        big(m.fromStage()),
        big(m.toStage()),
        m.tensorHash().bytes());
  }

  static List<byte[]> proof(List<Bytes32> proof) {
    return proof.stream().map(Bytes32::bytes).toList();
  }
}
