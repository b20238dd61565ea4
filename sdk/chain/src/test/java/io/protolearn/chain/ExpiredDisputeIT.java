package io.protolearn.chain;

import static io.protolearn.testing.Hashes.h;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.protolearn.chain.client.DisputeClient;
import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.model.Challenge;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.protocol.round.RoundClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A dispute whose jurors never vote, and which nobody resolves, must not hold its round open for
 * ever: a node that finalizes the round resolves it first (DESIGN §7). Before, {@code finalize}
 * reverted with the dispute open until some juror process came back, and every miner waiting for
 * the round's base stalled.
 */
class ExpiredDisputeIT {
  private static RunFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new RunFixture(4);
  }

  @AfterAll
  static void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void shouldResolveAnExpiredDisputeBeforeFinalizingItsRound() {
    long runId = f.chain.deployment().runId();
    RoundClock clock = f.deployer.runs().clock(0);
    f.chain.mineTo(clock.start());
    ProtocolClient miner = f.miners.get(0);
    RoundTree tree = RunFixture.leaves(runId, 0, miner.address(), 0, 4, h("init"));
    Commitment c = new Commitment(tree.root(), 4, h("delta"), h("init"));
    miner.runs().commit(0, c);
    f.chain.mineTo(clock.seedBlock() + 1);
    f.deployer.runs().drawSeed(0);
    StepLeaf leaf = tree.leaf(1);
    long id =
        DisputeClient.challengeEvents(
                f.validators
                    .get(0)
                    .disputes()
                    .challengeWrongResult(
                        0,
                        miner.address(),
                        c,
                        new DisputeClient.ProvenLeaf(leaf, tree.proof(leaf)),
                        f.deployer.runs().paramsAt(0).challengeBond))
            .get(0)
            .challengeId();
    // nobody draws its jury, nobody resolves: past the round's windows it still holds the round
    f.chain.mineTo(clock.voteEnd() + 1);
    assertThat(f.deployer.runs().roundInfo(0).openDisputes()).isEqualTo(1);
    Challenge ch = f.deployer.disputes().challenge(id);
    assertThat(ch.juryDue()).isTrue();
    assertThatThrownBy(() -> f.deployer.runs().finalizeRound(0))
        .isInstanceOf(ProtocolRevertException.class)
        .hasMessageStartingWith("RunManagerDisputesOpen");
    // until its jury can no longer be drawn
    f.chain.mineTo(ch.drawBlock() + Challenge.DRAW_BLOCKS + 1);
    assertThat(ch.resolvableAt(f.deployer.blockNumber() + 1)).isTrue();

    f.deployer.runs().finalizeRound(0);

    assertThat(f.deployer.disputes().challenge(id).open()).isFalse();
    assertThat(f.deployer.runs().roundInfo(0).finalized()).isTrue();
    // lapsed: the miner is not convicted, its work is paid and the challenger's bond is its
    assertThat(f.deployer.runs().commitmentOf(0, miner.address()).convicted()).isFalse();
    assertThat(f.deployer.runs().claimable(0, miner.address())).isPositive();
    assertThat(f.deployer.disputes().owedTo(miner.address()))
        .isEqualTo(f.deployer.runs().paramsAt(0).challengeBond);
  }
}
