package io.protolearn.chain;

import static io.protolearn.testing.Hashes.h;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.protolearn.chain.client.DisputeClient.ProvenLeaf;
import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.dispute.Evidence;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.protocol.round.RoundClock;
import java.math.BigInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fraud decided on chain without a jury: the miner is slashed at once, the prover paid. */
class FraudProofIT {
  private static RunFixture f;
  private static RoundClock clock;

  @BeforeAll
  static void start() throws Exception {
    f = new RunFixture(1);
    clock = f.deployer.runs().clock(0);
    f.chain.mineTo(clock.start());
  }

  @AfterAll
  static void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void shouldKeyReportsAsTheContractDoes() throws Exception {
    Bytes32 evidence = h("some evidence");
    Bytes32 salt = h("a salt");
    Address reporter = Address.fromHex(f.validators.get(0).address());
    byte[] onChain =
        f.deployer
            .disputes()
            .contract()
            .reportKey(evidence.bytes(), reporter.toHex(), salt.bytes())
            .send();
    assertThat(new Bytes32(onChain)).isEqualTo(Evidence.reportKey(evidence, reporter, salt));
  }

  @Test
  void shouldSlashABrokenParameterChainAndRefuseTheSameEvidenceTwice() {
    long runId = f.chain.deployment().runId();
    ProtocolClient miner = f.miners.get(0);
    RoundTree tree = RunFixture.brokenAt(runId, 0, miner.address(), 0, 4, h("init"), 2);
    Commitment c = new Commitment(tree.root(), 4, h("delta"), h("init"));
    miner.runs().commit(0, c);

    ProtocolClient prover = f.validators.get(0);
    BigInteger before = prover.staking().stakeOf(miner.address());
    ProvenLeaf a = new ProvenLeaf(tree.leaves().get(1), tree.proof(tree.leaves().get(1)));
    ProvenLeaf b = new ProvenLeaf(tree.leaves().get(2), tree.proof(tree.leaves().get(2)));
    prover.disputes().proveChainBreak(0, miner.address(), c, a, b);

    BigInteger slashed = before.divide(BigInteger.TWO);
    assertThat(prover.staking().stakeOf(miner.address())).isEqualTo(before.subtract(slashed));
    // the reporter's share the SDK's soundness bound nets out of the penalty (DESIGN §9)
    assertThat(prover.disputes().owedTo(prover.address()))
        .isEqualTo(
            slashed
                .multiply(
                    BigInteger.valueOf(
                        io.protolearn.protocol.economics.SoundnessBound.REPORTER_SHARE_BPS))
                .divide(BigInteger.valueOf(10_000)));
    assertThat(prover.runs().commitmentOf(0, miner.address()).convicted()).isTrue();
    assertThatThrownBy(() -> prover.disputes().proveChainBreak(0, miner.address(), c, a, b))
        .isInstanceOf(ProtocolRevertException.class)
        .extracting(e -> ((ProtocolRevertException) e).errorName())
        .asString()
        .contains("Evidence");
  }

  @Test
  void shouldSlashASenderWhoseSignedTensorDiffersFromItsLeaf() {
    long runId = f.chain.deployment().runId();
    ProtocolClient miner = f.miners.get(1);
    RoundTree tree = RunFixture.leaves(runId, 0, miner.address(), 1, 3, h("init"));
    Commitment c = new Commitment(tree.root(), 3, h("delta1"), h("init"));
    miner.runs().commit(0, c);
    StepLeaf leaf = tree.leaves().get(1);
    // stage 1 sends its input gradient back to stage 0, but signs a different hash than it recorded
    TensorMessage sent = new TensorMessage(runId, 0, 0, 1, 1, 0, h("other gradient"));
    Secp256k1.KeyPair key =
        Secp256k1.fromPrivateKey(f.chain.account(2).getEcKeyPair().getPrivateKey());
    assertThat(key.address()).isEqualTo(Address.fromHex(miner.address()));
    TensorMessage.Domain domain =
        new TensorMessage.Domain(
            f.chain.deployment().chainId(), Address.fromHex(f.deployer.disputes().address()));
    assertThat(f.deployer.disputes().tensorMessageDigest(sent)).isEqualTo(sent.digest(domain));
    byte[] signature = sent.sign(domain, key);

    ProtocolClient prover = f.validators.get(0);
    BigInteger owedBefore = prover.disputes().owedTo(prover.address());
    prover.disputes().proveEquivocation(sent, signature, c, new ProvenLeaf(leaf, tree.proof(leaf)));
    assertThat(prover.runs().commitmentOf(0, miner.address()).convicted()).isTrue();
    assertThat(prover.disputes().owedTo(prover.address())).isGreaterThan(owedBefore);

    TensorMessage honest =
        new TensorMessage(runId, 0, 0, 2, 1, 0, tree.leaves().get(2).inputGradHash());
    StepLeaf l2 = tree.leaves().get(2);
    assertThatThrownBy(
            () ->
                prover
                    .disputes()
                    .proveEquivocation(
                        honest, honest.sign(domain, key), c, new ProvenLeaf(l2, tree.proof(l2))))
        .as("a signature that matches the leaf proves nothing")
        .isInstanceOf(ProtocolRevertException.class);
  }
}
