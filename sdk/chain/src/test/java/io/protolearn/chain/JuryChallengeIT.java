package io.protolearn.chain;

import static io.protolearn.testing.Hashes.h;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.protolearn.chain.client.DisputeClient;
import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.events.ChainEvent;
import io.protolearn.chain.model.Challenge;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.protocol.round.RoundClock;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** A jury convicts a miner of a wrong result: stake slashed, challenger and jurors paid. */
class JuryChallengeIT {
  private static RunFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new RunFixture(5);
  }

  @AfterAll
  static void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void shouldConvictSlashAndPayTheChallengerAndJurors() {
    long runId = f.chain.deployment().runId();
    RoundClock clock = f.deployer.runs().clock(0);
    f.chain.mineTo(clock.start());
    ProtocolClient miner = f.miners.get(1);
    RoundTree tree = RunFixture.leaves(runId, 0, miner.address(), 1, 8, h("init"));
    Commitment c = new Commitment(tree.root(), 8, h("delta"), h("init"));
    miner.runs().commit(0, c);
    f.chain.mineTo(clock.seedBlock() + 1);
    f.deployer.runs().drawSeed(0);

    ProtocolClient challenger = f.validators.get(0);
    StepLeaf bad = tree.leaf(3);
    BigInteger bond = f.deployer.runs().paramsAt(0).challengeBond;
    TransactionReceipt filed =
        challenger
            .disputes()
            .challengeWrongResult(
                0, miner.address(), c, new DisputeClient.ProvenLeaf(bad, tree.proof(bad)), bond);
    ChainEvent.ChallengeOpened opened = DisputeClient.challengeEvents(filed).get(0);
    long id = opened.challengeId();
    assertThat(opened.drawBlock()).isEqualTo(filed.getBlockNumber().longValueExact() + 1);
    // the jury is drawn from the hash of a block mined after the filing, by anyone
    assertThat(challenger.disputes().jurors(id)).isEmpty();
    f.chain.mineTo(opened.drawBlock() + 1);
    f.deployer.disputes().drawJury(id);
    List<String> jurors = challenger.disputes().jurors(id);
    assertThat(jurors).hasSize(3).doesNotContain(challenger.address(), miner.address());

    // a validator that was not drawn cannot vote
    ProtocolClient notDrawn =
        f.validators.stream()
            .filter(v -> !jurors.contains(v.address()) && v != challenger)
            .findFirst()
            .orElseThrow();
    assertThatThrownBy(() -> notDrawn.disputes().commitVote(id, h("x")))
        .isInstanceOf(ProtocolRevertException.class)
        .hasMessageStartingWith("DisputeManagerNotJuror");

    Map<String, Bytes32> salts = new HashMap<>();
    for (String j : jurors) {
      ProtocolClient juror = byAddress(j);
      Bytes32 salt = h("salt-" + j);
      salts.put(j, salt);
      juror.disputes().commitVote(id, juror.disputes().voteCommitment(true, salt, j));
    }
    Challenge ch = challenger.disputes().challenge(id);
    f.chain.mineTo(ch.voteCommitEnd() + 1);
    ProtocolClient first = byAddress(jurors.get(0));
    assertThatThrownBy(() -> first.disputes().revealVote(id, false, salts.get(jurors.get(0))))
        .isInstanceOf(ProtocolRevertException.class)
        .hasMessageStartingWith("DisputeManagerVoteMismatch");
    for (String j : jurors) {
      byAddress(j).disputes().revealVote(id, true, salts.get(j));
    }
    f.chain.mineTo(ch.voteEnd() + 1);
    BigInteger stakeBefore = f.deployer.staking().stakeOf(miner.address());
    f.deployer.disputes().resolve(id);

    BigInteger slashed =
        stakeBefore.multiply(BigInteger.valueOf(5_000)).divide(BigInteger.valueOf(10_000));
    assertThat(f.deployer.staking().stakeOf(miner.address()))
        .isEqualTo(stakeBefore.subtract(slashed));
    BigInteger reporter =
        slashed
            .multiply(
                BigInteger.valueOf(
                    io.protolearn.protocol.economics.SoundnessBound.REPORTER_SHARE_BPS))
            .divide(BigInteger.valueOf(10_000));
    BigInteger perJuror =
        slashed
            .multiply(BigInteger.valueOf(2_500))
            .divide(BigInteger.valueOf(10_000))
            .divide(BigInteger.valueOf(3));
    assertThat(f.deployer.disputes().owedTo(challenger.address())).isEqualTo(bond.add(reporter));
    for (String j : jurors) {
      assertThat(f.deployer.disputes().owedTo(j)).isEqualTo(perJuror);
    }
    assertThat(f.deployer.runs().commitmentOf(0, miner.address()).convicted()).isTrue();

    BigInteger before = challenger.balanceOf(challenger.address());
    TransactionReceipt paid = challenger.disputes().withdrawPayments();
    BigInteger gas =
        paid.getGasUsed()
            .multiply(org.web3j.utils.Numeric.decodeQuantity(paid.getEffectiveGasPrice()));
    assertThat(challenger.balanceOf(challenger.address()))
        .isEqualTo(before.add(bond).add(reporter).subtract(gas));

    RoundClock c0 = f.deployer.runs().clock(0);
    f.chain.mineTo(c0.voteEnd() + 1);
    f.deployer.runs().finalizeRound(0);
    assertThatThrownBy(() -> miner.runs().claim(0))
        .isInstanceOf(ProtocolRevertException.class)
        .hasMessageStartingWith("RunManagerCommitmentConvicted");
  }

  private static ProtocolClient byAddress(String address) {
    return f.validators.stream()
        .filter(v -> v.address().equalsIgnoreCase(address))
        .findFirst()
        .orElseThrow();
  }
}
