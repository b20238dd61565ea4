package io.protolearn.chain;

import static io.protolearn.testing.Hashes.h;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.deploy.RunConfig;
import io.protolearn.chain.local.AnvilNode;
import io.protolearn.chain.local.LocalChain;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A local chain with one run of two stages: miners are accounts 1 (stage 0) and 2 (stage 1),
 * validators accounts 3 to 7, every one staked 2 ETH and joined before round 0.
 */
final class RunFixture implements AutoCloseable {
  static final BigInteger ETHER = BigInteger.TEN.pow(18);
  static final BigInteger STAKE = ETHER.multiply(BigInteger.TWO);

  final LocalChain chain;
  final ProtocolClient deployer;
  final List<ProtocolClient> miners = new ArrayList<>();
  final List<ProtocolClient> validators = new ArrayList<>();

  RunFixture(int validatorCount) throws IOException {
    RunConfig config =
        RunConfig.devnet(h("model"), h("data"), h("train"), h("root"), h("init"), 2, 16)
            .withStartDelay(60);
    chain = LocalChain.start(AnvilNode.Options.forTests(), config);
    deployer = client(0);
    for (int i = 0; i < 2; i++) {
      ProtocolClient m = client(1 + i);
      m.staking().stake(STAKE);
      m.runs().joinAsMiner(i, "http://127.0.0.1:" + (9000 + i));
      miners.add(m);
    }
    for (int i = 0; i < validatorCount; i++) {
      ProtocolClient v = client(3 + i);
      v.staking().stake(STAKE);
      v.runs().registerValidator("http://127.0.0.1:" + (9100 + i));
      validators.add(v);
    }
  }

  ProtocolClient client(int account) {
    return ProtocolClient.connect(
        chain.deployment(), chain.account(account), Duration.ofMillis(20));
  }

  /** A chain of {@code steps} leaves whose params hashes link step to step from {@code base}. */
  static RoundTree leaves(
      long runId, long round, String miner, int stage, int steps, Bytes32 base) {
    List<StepLeaf> out = new ArrayList<>();
    Bytes32 before = base;
    for (int i = 0; i < steps; i++) {
      Bytes32 after = h(miner + "/" + round + "/params/" + (i + 1));
      out.add(
          new StepLeaf(
              runId,
              round,
              Address.fromHex(miner),
              stage,
              0,
              i,
              before,
              h(miner + "/opt/" + i),
              h(miner + "/in/" + i),
              h(miner + "/up/" + i),
              h(miner + "/out/" + i),
              h(miner + "/ig/" + i),
              h(miner + "/pg/" + i),
              after));
      before = after;
    }
    return RoundTree.of(out);
  }

  /**
   * {@link #leaves} with the parameter chain broken into step {@code at}: its paramsBeforeHash is
   * not what step {@code at - 1} produced (a chain-break fraud, provable on chain).
   */
  static RoundTree brokenAt(
      long runId, long round, String miner, int stage, int steps, Bytes32 base, int at) {
    List<StepLeaf> leaves =
        new ArrayList<>(leaves(runId, round, miner, stage, steps, base).leaves());
    StepLeaf l = leaves.get(at);
    leaves.set(
        at,
        new StepLeaf(
            l.runId(),
            l.round(),
            l.miner(),
            l.stage(),
            l.lane(),
            l.step(),
            h("not what step " + (at - 1) + " produced"),
            l.optStateBeforeHash(),
            l.inputHash(),
            l.upstreamGradHash(),
            l.outputHash(),
            l.inputGradHash(),
            l.paramGradHash(),
            l.paramsAfterHash()));
    return RoundTree.of(leaves);
  }

  @Override
  public void close() {
    miners.forEach(ProtocolClient::close);
    validators.forEach(ProtocolClient::close);
    deployer.close();
    chain.close();
  }
}
