package io.protolearn.chain;

import static io.protolearn.chain.RunFixture.ETHER;
import static io.protolearn.testing.Hashes.h;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.events.ChainEvent;
import io.protolearn.chain.events.EventFeed;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.economics.Rewards;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.round.Availability;
import io.protolearn.protocol.round.RoundClock;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A whole round through the SDK against a real local node. */
class FullRoundIT {
  private static RunFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new RunFixture(1);
  }

  @AfterAll
  static void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void shouldMintSharesForAVerifiedRound() {
    long runId = f.chain.deployment().runId();
    RoundClock clock = f.deployer.runs().clock(0);
    f.chain.mineTo(clock.start());
    Bytes32 base = h("init");
    int[] steps = {6, 10};
    for (int i = 0; i < 2; i++) {
      ProtocolClient m = f.miners.get(i);
      RoundTree tree = RunFixture.leaves(runId, 0, m.address(), i, steps[i], base);
      Commitment c = new Commitment(tree.root(), steps[i], h("delta" + i), base);
      m.runs().commit(0, c);
      assertThat(m.runs().commitmentMatches(0, m.address(), c)).isTrue();
      assertThatThrownBy(() -> m.runs().commit(0, c))
          .isInstanceOf(ProtocolRevertException.class)
          .extracting(e -> ((ProtocolRevertException) e).errorName())
          .isEqualTo("RunManagerAlreadyCommitted");
    }

    ProtocolClient v = f.validators.get(0);
    f.chain.mineTo(clock.seedBlock() + 1);
    v.runs().drawSeed(0);
    assertThat(v.runs().seedOf(0)).isNotEqualTo(Bytes32.ZERO);
    assertThat(v.runs().validatorsAt(0)).containsExactly(v.address());
    // the validator marks miner 1 available (not miner 0): round order is stage by stage
    List<Address> order = v.runs().roundOrder(0);
    assertThat(order).hasSize(2);
    Address second = Address.fromHex(f.miners.get(1).address());
    v.runs().attest(0, h("receipts"), 2, Availability.encode(order, List.of(second)));
    assertThat(v.runs().availability(0).availableMiners()).containsExactly(second);

    f.chain.mineTo(clock.voteEnd() + 1);
    f.deployer.runs().finalizeRound(0);
    assertThat(f.deployer.runs().roundInfo(0).finalized()).isTrue();

    BigInteger perRound = RunFixture.ETHER.multiply(BigInteger.valueOf(1000));
    for (int i = 0; i < 2; i++) {
      ProtocolClient m = f.miners.get(i);
      m.runs().claim(0);
      assertThat(m.shares().balanceOf(m.address()))
          .isEqualTo(Rewards.minerReward(perRound, 2_000, steps[i], 16))
          .isEqualTo(ETHER.multiply(BigInteger.valueOf(steps[i] * 50L)));
      assertThatThrownBy(() -> m.runs().claim(0))
          .isInstanceOf(ProtocolRevertException.class)
          .hasMessageStartingWith("RunManagerAlreadyClaimed");
    }
    v.runs().claim(0);
    assertThat(v.shares().balanceOf(v.address()))
        .isEqualTo(Rewards.validatorReward(perRound, 2_000, 1));
    assertThat(v.shares().totalSupply()).isEqualTo(perRound);

    List<String> events =
        new EventFeed(
                f.chain.web3j(),
                List.of(f.deployer.runs().address(), f.deployer.staking().address()))
            .poll(clock.start(), f.chain.blockNumber()).stream()
                .map(ChainEvent::name)
                .filter(n -> !n.equals("OpenDisputesChanged"))
                .toList();
    assertThat(events)
        .containsSubsequence(
            "Committed",
            "Committed",
            "SeedDrawn",
            "Attested",
            "RoundFinalized",
            "Claimed",
            "Claimed",
            "Claimed");
  }

  @Test
  void shouldRefuseACommitFromANonMemberWithATypedError() {
    ProtocolClient outsider = f.client(15);
    RoundTree tree = RunFixture.leaves(1, 0, outsider.address(), 0, 1, h("init"));
    assertThatThrownBy(
            () ->
                outsider
                    .runs()
                    .commit(0, new Commitment(tree.root(), 1, Bytes32.ZERO, Bytes32.ZERO)))
        .isInstanceOfSatisfying(
            ProtocolRevertException.class,
            e -> {
              assertThat(e.errorName()).startsWith("RunManager");
              assertThat(e.args()).isNotEmpty();
            });
  }
}
