package io.protolearn.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.protolearn.chain.client.GovernanceClient;
import io.protolearn.chain.client.GovernanceClient.ProposalState;
import io.protolearn.chain.client.GovernanceClient.Support;
import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.client.SharesClient;
import io.protolearn.chain.contracts.RunManager;
import io.protolearn.chain.deploy.RunConfig;
import io.protolearn.chain.gov.RunAction;
import io.protolearn.chain.local.AnvilNode;
import io.protolearn.chain.local.LocalChain;
import io.protolearn.chain.model.CommitmentInfo;
import io.protolearn.chain.model.RunInfo;
import io.protolearn.chain.tx.ProtocolRevertException;
import io.protolearn.devnet.demo.DemoFolder;
import io.protolearn.devnet.demo.NodeProcesses;
import io.protolearn.devnet.demo.ParticipantSetup;
import io.protolearn.miner.MinerCommand;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.round.RoundClock;
import io.protolearn.protocol.sampling.Sampling;
import io.protolearn.testing.Ports;
import io.protolearn.training.spec.RunSpecs;
import io.protolearn.validator.ValidatorCommand;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Nodes obey governance (DESIGN.md §8), end to end: a local chain mining a block a second, the
 * devnet model's 2 stages × 1 miner and 1 validator, each its own {@code java} process. The miners
 * earn shares and delegate their votes (signed off chain, relayed by the holder they delegate to,
 * so no transaction competes with their nodes' own); that holder proposes to pause and resume the
 * run, to raise the sample rate from 1 bps to every step and to halt the run, votes, queues and
 * executes. While paused the miners send nothing and a whole round takes no commit; the rounds from
 * the resume on are committed, attested and claimed as before. The round after the change is
 * checked at the new rate; the halt lets the nodes settle that round and exit 0, and afterwards
 * commits are refused while claims, leaving and stake withdrawal still work.
 */
class GovernanceIT {
  private static final BigInteger ETHER = BigInteger.TEN.pow(18);
  private static final BigInteger STAKE = ETHER.multiply(BigInteger.TWO);
  private static final int OLD_RATE = 1;
  private static final int NEW_RATE = 10_000;
  private static final int STEPS = 4;
  private static final Duration PATIENCE = Duration.ofSeconds(150);

  private NodeProcesses processes;

  @Test
  void shouldApplyAParameterChangeNextRoundAndStopCleanlyWhenHoldersHaltTheRun(@TempDir Path dir)
      throws Exception {
    long t0 = System.nanoTime();
    RunSpecs specs = RunSpecs.devnet();
    try (LocalChain chain =
            LocalChain.start(
                new AnvilNode.Options(0, 0, 31337, 10, dir.resolve("anvil.log"), false),
                runConfig(specs));
        NodeProcesses nodes = new NodeProcesses();
        ProtocolClient reader =
            ProtocolClient.connect(chain.deployment(), chain.account(0), Duration.ofMillis(50));
        ProtocolClient holder =
            ProtocolClient.connect(chain.deployment(), chain.account(4), Duration.ofMillis(50))) {
      processes = nodes;
      Path deployment = dir.resolve("deployment.json");
      chain.deployment().save(deployment);
      Path password = dir.resolve("password");
      Files.writeString(password, "governance it\n");
      List<String> miners = new ArrayList<>();
      for (int i = 1; i <= 2; i++) {
        miners.add(join(chain, i, i - 1, "http://127.0.0.1:" + Ports.unused()));
      }
      String validator = join(chain, 3, -1, "http://127.0.0.1:" + Ports.unused());
      new Request<>(
              "evm_setIntervalMining",
              List.of(1),
              new HttpService(chain.node().rpcUrl()),
              VoidResponse.class)
          .send();
      List<NodeProcesses.Child> children = new ArrayList<>();
      Path specsDir = DemoFolder.writeSpecs(dir, specs);
      for (int i = 1; i <= 3; i++) {
        boolean miner = i < 3;
        Path data = dir.resolve("node-" + i);
        ParticipantSetup.initKeystore(miner, chain.account(i), data, password, dir, "node-" + i);
        List<String> args =
            new ArrayList<>(
                List.of(
                    "run",
                    "--deployment",
                    deployment.toString(),
                    "--data-dir",
                    data.toString(),
                    "--password-file",
                    password.toString(),
                    "--poll-ms",
                    "200",
                    // no metrics server, whose kernel-picked port could be one a node was given
                    "--metrics-port",
                    "-1"));
        if (miner) {
          args.addAll(List.of("--peer-timeout", "8"));
        } else {
          args.addAll(List.of("--specs", specsDir.toString(), "--block-time-ms", "1000"));
        }
        children.add(
            nodes.start(
                "node-" + i,
                (miner ? MinerCommand.class : ValidatorCommand.class).getName(),
                args,
                dir.resolve("node-" + i + ".log"),
                "512m"));
      }

      // 1. the miners earn shares and delegate their votes to the holder by signature
      SharesClient shares = holder.shares();
      await(
          "both miners hold shares",
          () -> miners.stream().allMatch(m -> shares.balanceOf(m).signum() > 0));
      BigInteger expiry = BigInteger.valueOf(blockTime(chain) + 3600);
      for (int i = 1; i <= 2; i++) {
        shares.delegateBySig(
            shares.signDelegation(
                chain.account(i), holder.address(), expiry, chain.deployment().chainId()));
        assertThat(shares.delegates(miners.get(i - 1))).isEqualToIgnoringCase(holder.address());
      }
      BigInteger earned = shares.balanceOf(miners.get(0)).add(shares.balanceOf(miners.get(1)));
      assertThat(shares.votes(holder.address())).isGreaterThanOrEqualTo(earned); // claims go on

      // 2. four proposals: pause, resume, check every step, and halt; all pass and are queued
      GovernanceClient gov = holder.governance();
      var pause = gov.proposal(new RunAction.Pause(), holder.runs(), "a break");
      var resume = gov.proposal(new RunAction.Resume(), holder.runs(), "back to work");
      var raise =
          gov.proposal(
              new RunAction.SetParam("sampleRateBps", BigInteger.valueOf(NEW_RATE)),
              holder.runs(),
              "check every step");
      var halt = gov.proposal(new RunAction.Halt(), holder.runs(), "stop the run");
      BigInteger pauseId = gov.propose(pause);
      BigInteger resumeId = gov.propose(resume);
      BigInteger raiseId = gov.propose(raise);
      BigInteger haltId = gov.propose(halt);
      List<BigInteger> ids = List.of(pauseId, resumeId, raiseId, haltId);
      await("voting opens", () -> gov.state(haltId) == ProposalState.ACTIVE);
      gov.castVote(pauseId, Support.FOR, "a break");
      gov.castVote(resumeId, Support.FOR, "back to work");
      gov.castVote(raiseId, Support.FOR, "more checks");
      gov.castVote(haltId, Support.FOR, "enough");
      await("all pass", () -> gov.state(haltId) == ProposalState.SUCCEEDED);
      assertThat(ids).allMatch(id -> gov.state(id) == ProposalState.SUCCEEDED);
      gov.queue(pause);
      gov.queue(resume);
      gov.queue(raise);
      gov.queue(halt);
      await("the timelock delay passes", () -> blockTime(chain) >= gov.eta(haltId));

      // 3. paused: the miners idle (no transaction) and no round takes a commit; then resumed
      gov.execute(pause);
      assertThat(reader.runs().info().paused()).isTrue();
      long quiet = firstRoundAfter(reader, chain.blockNumber());
      RoundClock quietClock = reader.runs().clock(quiet);
      await("paused round " + quiet + " starts", () -> chain.blockNumber() >= quietClock.start());
      List<BigInteger> noncesPaused = nonces(chain, miners);
      await(
          "paused round " + quiet + "'s commit window closes",
          () -> chain.blockNumber() > quietClock.commitDeadline());
      assertThat(nonces(chain, miners))
          .as("miner transactions while paused")
          .isEqualTo(noncesPaused);
      assertThat(committers(reader, miners, quiet))
          .as("commits in paused round %d", quiet)
          .isZero();
      gov.execute(resume);
      assertThat(reader.runs().info().paused()).isFalse();
      long resumed = firstRoundAfter(reader, chain.blockNumber());

      // 4. the new rate holds from the next round on
      gov.execute(raise);
      long from = reader.runs().currentRound();
      while (reader.runs().paramsAt(from).sampleRateBps.intValueExact() != NEW_RATE) {
        from++;
        assertThat(from).as("round of the new rate").isLessThan(reader.runs().currentRound() + 3);
      }
      assertThat(reader.runs().paramsAt(from - 1).sampleRateBps.intValueExact())
          .isEqualTo(OLD_RATE);
      long changed = from;
      // 5. the halt executes once the round's commit window closed: that round is spared
      long seedBlock = reader.runs().clock(changed).seedBlock();
      await("round " + changed + "'s commit window closes", () -> chain.blockNumber() >= seedBlock);
      gov.execute(halt);
      RunInfo info = reader.runs().info();
      assertThat(info.halted()).isTrue();
      assertThat(info.haltedFromRound()).isEqualTo(changed + 1);

      // the round of the change was sampled at the new rate, its predecessor at the old one
      await(
          "the validator attests round " + changed,
          () -> reader.runs().attestationOf(changed, validator).attested());
      int sampledNew = sampled(reader, miners, changed, NEW_RATE);
      int stepsNew = committedSteps(reader, miners, changed);
      assertThat(stepsNew).as("steps committed in round %d", changed).isPositive();
      assertThat(sampledNew).isEqualTo(stepsNew);
      String validatorLog = Files.readString(children.get(2).log());
      assertThat(reader.runs().attestationOf(changed, validator).checks())
          .as("checks attested for round %d; validator log:%n%s", changed, validatorLog)
          .isEqualTo(sampledNew);
      assertThat(validatorLog)
          .contains(
              "round "
                  + changed
                  + ": "
                  + committers(reader, miners, changed)
                  + " miners committed, "
                  + sampledNew
                  + " sampled steps assigned");
      long before = changed - 1;
      if (reader.runs().attestationOf(before, validator).attested()
          && committedSteps(reader, miners, before) > 0) {
        int sampledOld = sampled(reader, miners, before, OLD_RATE);
        assertThat(sampledOld).isLessThan(committedSteps(reader, miners, before));
        assertThat(validatorLog)
            .contains(
                "round "
                    + before
                    + ": "
                    + committers(reader, miners, before)
                    + " miners committed, "
                    + sampledOld
                    + " sampled steps assigned");
      }

      // 6. every node settles what the spared round owes and exits 0 with one line
      for (NodeProcesses.Child c : children) {
        assertThat(c.process().waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS))
            .as("%s exits after the halt; log:%n%s", c.name(), NodeProcesses.tail(c, 20))
            .isTrue();
        assertThat(c.process().exitValue()).as("%s exit code", c.name()).isZero();
      }
      String halted = "is halted from round " + (changed + 1) + ": nothing owed is left; the ";
      for (int i = 0; i < 2; i++) {
        assertThat(Files.readString(children.get(i).log())).contains(halted + "miner stops");
        CommitmentInfo ci = reader.runs().commitmentOf(changed, miners.get(i));
        assertThat(!ci.committed() || ci.claimed())
            .as("miner %d claimed round %d", i, changed)
            .isTrue();
      }
      assertThat(Files.readString(children.get(2).log())).contains(halted + "validator stops");
      assertThat(reader.runs().roundInfo(changed).finalized()).isTrue();
      assertThat(reader.runs().attestationOf(changed, validator).claimed()).isTrue();
      // nothing lost to the pause: every round from the resume on committed, attested, claimed
      assertThat(changed).isGreaterThanOrEqualTo(resumed);
      for (long r = resumed; r <= changed; r++) {
        for (String m : miners) {
          CommitmentInfo ci = reader.runs().commitmentOf(r, m);
          assertThat(ci.committed() && ci.claimed())
              .as("%s committed and claimed round %d", m, r)
              .isTrue();
        }
        var attestation = reader.runs().attestationOf(r, validator);
        assertThat(attestation.attested() && attestation.claimed())
            .as("validator attested and claimed round %d", r)
            .isTrue();
      }

      // 7. after the halt: no commit; leaving and withdrawing stake still work
      try (ProtocolClient miner =
          ProtocolClient.connect(chain.deployment(), chain.account(1), Duration.ofMillis(50))) {
        long round = miner.runs().currentRound();
        Bytes32 h = Bytes32.fromHex(Numeric.toHexStringWithPrefixZeroPadded(BigInteger.ONE, 64));
        assertThatThrownBy(() -> miner.runs().commit(round, new Commitment(h, 1, h, h)))
            .isInstanceOfSatisfying(
                ProtocolRevertException.class,
                e -> assertThat(e.errorName()).isEqualTo("RunManagerRoundHalted"));
        miner.runs().leaveAsMiner();
        miner.staking().requestUnbond(STAKE);
        chain.mine(RunConfig.devnetParams().unbondingBlocks.longValueExact() + 1);
        BigInteger ethBefore = miner.balanceOf(miner.address());
        miner.staking().withdraw();
        assertThat(miner.staking().stakeOf(miner.address())).isZero();
        assertThat(miner.balanceOf(miner.address())).isGreaterThan(ethBefore);
      }
      System.out.printf(
          "governance IT took %.0f s: paused over round %d, resumed from %d; round %d checked %d of"
              + " %d steps at %d bps, halted from %d%n",
          (System.nanoTime() - t0) / 1e9,
          quiet,
          resumed,
          changed,
          sampledNew,
          stepsNew,
          NEW_RATE,
          changed + 1);
    }
  }

  /** The devnet run with K = 4, a 1 bps sample rate, short windows and fast governance. */
  private static RunConfig runConfig(RunSpecs specs) {
    RunManager.Params p = RunConfig.devnetParams();
    RunManager.Params params =
        new RunManager.Params(
            p.minMinerStake,
            p.minValidatorStake,
            BigInteger.valueOf(OLD_RATE),
            p.slashBps,
            p.challengeBond,
            p.jurorCount,
            p.jurorBond,
            BigInteger.valueOf(10), // commitBlocks: 4 steps and the commit
            BigInteger.valueOf(10), // checkBlocks: room to recompute all 8 steps on 2 busy cores
            BigInteger.valueOf(2),
            p.sharesPerRound,
            p.validatorShareBps,
            p.unbondingBlocks);
    RunConfig c = RunConfig.devnet(specs.hashes(), STEPS).withParams(params);
    return new RunConfig(
        c.modelSpecHash(),
        c.dataSpecHash(),
        c.trainSpecHash(),
        c.dataRoot(),
        c.initialCheckpointHash(),
        c.stageCount(),
        c.maxStepsPerRound(),
        c.startDelayBlocks(),
        c.params(),
        // timelock delay 1 s, voting delay 1 block, voting period 5 blocks, no threshold, 4 %
        new RunConfig.Governance(1, 1, 5, BigInteger.ZERO, 4),
        c.sharesName(),
        c.sharesSymbol());
  }

  /** Stakes and joins account {@code i} (stage < 0: as a validator); its address. */
  private static String join(LocalChain chain, int i, int stage, String endpoint) {
    try (ProtocolClient c =
        ProtocolClient.connect(chain.deployment(), chain.account(i), Duration.ofMillis(20))) {
      c.staking().stake(STAKE);
      if (stage >= 0) {
        c.runs().joinAsMiner(stage, endpoint);
      } else {
        c.runs().registerValidator(endpoint);
      }
      return c.address();
    }
  }

  /** The steps sampled in a round at {@code rate} across the miners that committed. */
  private static int sampled(ProtocolClient reader, List<String> miners, long round, int rate) {
    Bytes32 seed = reader.runs().seedOf(round);
    int n = 0;
    for (String m : miners) {
      CommitmentInfo ci = reader.runs().commitmentOf(round, m);
      if (ci.committed()) {
        n +=
            Sampling.sampledSteps(seed, Address.fromHex(m), Math.toIntExact(ci.stepCount()), rate)
                .size();
      }
    }
    return n;
  }

  private static int committedSteps(ProtocolClient reader, List<String> miners, long round) {
    int n = 0;
    for (String m : miners) {
      n += Math.toIntExact(reader.runs().commitmentOf(round, m).stepCount());
    }
    return n;
  }

  private static long committers(ProtocolClient reader, List<String> miners, long round) {
    return miners.stream().filter(m -> reader.runs().commitmentOf(round, m).committed()).count();
  }

  /** The first round whose commit window opens after {@code block}. */
  private static long firstRoundAfter(ProtocolClient reader, long block) {
    long r = reader.runs().currentRound();
    while (reader.runs().clock(r).start() <= block) {
      r++;
    }
    return r;
  }

  /** Each miner's transaction count: unchanged while a node sends nothing. */
  private static List<BigInteger> nonces(LocalChain chain, List<String> miners) {
    List<BigInteger> out = new ArrayList<>();
    for (String m : miners) {
      try {
        out.add(
            chain
                .web3j()
                .ethGetTransactionCount(m, DefaultBlockParameterName.LATEST)
                .send()
                .getTransactionCount());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return out;
  }

  private static long blockTime(LocalChain chain) {
    try {
      return chain
          .web3j()
          .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
          .send()
          .getBlock()
          .getTimestamp()
          .longValueExact();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Polls until {@code condition} holds; fails if a node died or patience ran out. */
  private void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      processes
          .firstDead()
          .ifPresent(
              c -> {
                throw new AssertionError(
                    "waiting for "
                        + what
                        + ": "
                        + c.name()
                        + " exited with "
                        + c.process().exitValue()
                        + ":\n"
                        + NodeProcesses.tail(c, 30));
              });
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(250);
    }
  }
}
