package io.protolearn.chain;

import static io.protolearn.testing.Hashes.h;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.protolearn.chain.client.GovernanceClient;
import io.protolearn.chain.client.GovernanceClient.ProposalState;
import io.protolearn.chain.client.GovernanceClient.Support;
import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.client.SharesClient;
import io.protolearn.chain.contracts.RunManager;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.round.RoundClock;
import java.math.BigInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Holders' side of the SDK: shares earned by mining, permit, delegation and a governed change. */
class SharesAndGovernanceIT {
  private static RunFixture f;

  @BeforeAll
  static void earnShares() throws Exception {
    f = new RunFixture(1);
    long runId = f.chain.deployment().runId();
    RoundClock clock = f.deployer.runs().clock(0);
    f.chain.mineTo(clock.start());
    for (int i = 0; i < 2; i++) {
      ProtocolClient m = f.miners.get(i);
      RoundTree tree = RunFixture.leaves(runId, 0, m.address(), i, 8, h("init"));
      m.runs().commit(0, new Commitment(tree.root(), 8, h("d" + i), h("init")));
    }
    f.chain.mineTo(clock.seedBlock() + 1);
    f.deployer.runs().drawSeed(0);
    f.chain.mineTo(clock.voteEnd() + 1);
    f.deployer.runs().finalizeRound(0);
    for (ProtocolClient m : f.miners) {
      m.runs().claim(0);
    }
  }

  private static long latestTimestamp() {
    try {
      return f.chain
          .web3j()
          .ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false)
          .send()
          .getBlock()
          .getTimestamp()
          .longValueExact();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void shouldTransferAndSpendWithAPermit() {
    ProtocolClient owner = f.miners.get(0);
    ProtocolClient spender = f.miners.get(1);
    ProtocolClient outsider = f.client(16);
    BigInteger one = RunFixture.ETHER;
    owner.shares().transfer(outsider.address(), one);
    assertThat(owner.shares().balanceOf(outsider.address())).isEqualTo(one);

    SharesClient.Permit permit =
        owner
            .shares()
            .signPermit(
                f.chain.account(1),
                spender.address(),
                one.multiply(BigInteger.TWO),
                BigInteger.valueOf(latestTimestamp() + 86_400),
                f.chain.deployment().chainId());
    spender.shares().permit(permit);
    assertThat(spender.shares().allowance(owner.address(), spender.address()))
        .isEqualTo(one.multiply(BigInteger.TWO));
    spender.shares().transferFrom(owner.address(), outsider.address(), one);
    assertThat(owner.shares().balanceOf(outsider.address()))
        .isEqualTo(one.multiply(BigInteger.TWO));
    assertThatThrownBy(() -> spender.shares().permit(permit))
        .as("a permit is used once")
        .isInstanceOf(ProtocolRevertException.class)
        .hasMessageStartingWith("ERC2612InvalidSigner");
  }

  @Test
  void shouldChangeARunParameterThroughProposalVoteQueueAndExecute() {
    ProtocolClient holder = f.miners.get(1);
    holder.shares().delegate(holder.address());
    f.chain.mine(1);
    assertThat(holder.shares().votes(holder.address())).isPositive();

    RunManager.Params current = holder.runs().latestParams();
    RunManager.Params raised =
        new RunManager.Params(
            current.minMinerStake,
            current.minValidatorStake,
            BigInteger.valueOf(2_500),
            current.slashBps,
            current.challengeBond,
            current.jurorCount,
            current.jurorBond,
            current.commitBlocks,
            current.checkBlocks,
            current.voteBlocks,
            current.sharesPerRound,
            current.validatorShareBps,
            current.unbondingBlocks);
    GovernanceClient gov = holder.governance();
    GovernanceClient.Proposal proposal =
        gov.runManagerProposal(
            holder.runs().encodeSetParams(raised), "raise the sample rate to 25%");
    BigInteger id = gov.propose(proposal);
    assertThat(gov.state(id)).isEqualTo(ProposalState.PENDING);
    f.chain.mineTo(gov.snapshot(id) + 1);
    gov.castVote(id, Support.FOR, "more checks");
    assertThatThrownBy(() -> gov.castVote(id, Support.AGAINST, null))
        .isInstanceOf(ProtocolRevertException.class)
        .hasMessageStartingWith("GovernorAlreadyCastVote");
    assertThat(gov.votes(id).get(1)).isPositive();
    f.chain.mineTo(gov.deadline(id) + 2);
    assertThat(gov.state(id)).isEqualTo(ProposalState.SUCCEEDED);
    gov.queue(proposal);
    assertThatThrownBy(() -> gov.execute(proposal))
        .as("the timelock delay has not passed")
        .isInstanceOf(ProtocolRevertException.class);
    f.chain.increaseTime(10);
    f.chain.mine(1);
    gov.execute(proposal);
    assertThat(gov.state(id)).isEqualTo(ProposalState.EXECUTED);
    assertThat(holder.runs().latestParams().sampleRateBps).isEqualTo(BigInteger.valueOf(2_500));
    long next = holder.runs().nextRound();
    assertThat(holder.runs().paramsAt(next).sampleRateBps).isEqualTo(BigInteger.valueOf(2_500));
  }

  @Test
  void shouldRefuseParameterChangesFromAnyoneButTheTimelock() {
    ProtocolClient holder = f.miners.get(0);
    String calldata = holder.runs().encodeHalt();
    assertThatThrownBy(() -> holder.sendRaw(holder.runs().address(), calldata))
        .isInstanceOf(ProtocolRevertException.class)
        .hasMessageStartingWith("RunManagerNotGovernance");
    assertThat(holder.runs().info().halted()).isFalse();
  }
}
