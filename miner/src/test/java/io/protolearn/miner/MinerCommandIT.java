package io.protolearn.miner;

import static io.protolearn.testing.CliHarness.withDefault;
import static io.protolearn.testing.Hashes.h;
import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.deploy.RunConfig;
import io.protolearn.chain.local.LocalChain;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.protocol.round.RoundClock;
import io.protolearn.testing.CliHarness;
import io.protolearn.testing.CliHarness.Result;
import io.protolearn.testing.Ports;
import io.protolearn.testing.chain.LocalChainExtension;
import io.protolearn.testing.chain.NodeKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The miner CLI, run in-process against a real local chain. */
class MinerCommandIT {
  private static final CliHarness CLI =
      CliHarness.of("miner", (out, err, args) -> MinerCommand.execute(Map.of(), out, err, args));

  @RegisterExtension
  static final LocalChainExtension CHAIN =
      LocalChainExtension.withRun(
          RunConfig.devnet(h("model"), h("data"), h("train"), h("root"), h("init"), 2, 16));

  private static LocalChain chain;
  @TempDir static Path dir;
  private static Path deployment;
  private static Path password;

  @BeforeAll
  static void start() throws Exception {
    chain = CHAIN.chain();
    deployment = dir.resolve("deployment.json");
    chain.deployment().save(deployment);
    password = dir.resolve("password");
    Files.writeString(password, "miner password\n");
  }

  /** {@code <args> --deployment ... --data-dir <dir>/<account> --password-file ...}. */
  private static List<String> withDefaults(int account, String... args) {
    List<String> all = List.of(args);
    if (!all.contains("--help")) {
      all = withDefault(all, "--data-dir", dir.resolve("account-" + account).toString());
      all = withDefault(all, "--password-file", password.toString());
      if (!args[0].equals("init")) {
        all = withDefault(all, "--deployment", deployment.toString());
      }
    }
    return all;
  }

  private static Result miner(int account, String... args) {
    return CLI.run(withDefaults(account, args));
  }

  private static Result ok(int account, String... args) {
    return CLI.ok(withDefaults(account, args));
  }

  private static Result fails(int account, int code, String... args) {
    return CLI.fails(code, withDefaults(account, args));
  }

  /** Imports anvil's development key of {@code account} into that account's data folder. */
  private static void init(int account) throws Exception {
    Path key = NodeKeys.writeKey(chain.account(account), dir.resolve("key-" + account));
    Result r = ok(account, "init", "--import-key", key.toString(), "--light-kdf");
    assertThat(r.out())
        .contains(Address.fromHex(chain.account(account).getAddress()).toChecksumHex());
  }

  @Test
  void shouldStakeJoinEarnClaimUnstakeAndWithdraw() throws Exception {
    int me = 1;
    init(me);
    String address = chain.account(me).getAddress();
    assertThat(ok(me, "status").out())
        .contains("role       none (run `miner join --stage N --endpoint URL`)");

    ok(me, "stake", "--amount", "0.5");
    Result tooLittle = fails(me, 1, "join", "--stage", "0", "--endpoint", "http://127.0.0.1:9000");
    assertThat(tooLittle.err())
        .startsWith("miner: refused by the contract: RunManagerInsufficientStake(");

    assertThat(ok(me, "stake", "--amount", "1.5").out()).contains("active stake now 2 ETH");
    Result joined = ok(me, "join", "--stage", "0", "--endpoint", "http://127.0.0.1:9000");
    assertThat(joined.out()).startsWith("joined run 1 as a miner of stage 0 from round ");
    Result again = fails(me, 1, "join", "--stage", "1", "--endpoint", "http://127.0.0.1:9000");
    assertThat(again.err()).contains("RunManagerAlreadyMember");

    Result status = ok(me, "status");
    assertThat(status.out())
        .contains("miner of stage 0 from round")
        .contains("endpoint   http://127.0.0.1:9000")
        .contains("stake      2 ETH active (role minimum 1 ETH)")
        .contains("unbonding  none");

    long round = commitAndFinalizeOneRound(me, 8);
    assertThat(ok(me, "status").out())
        .contains("round " + round)
        .contains("committed 8 steps, finalized, claimable 800 shares");
    Result claimed = ok(me, "claim");
    assertThat(claimed.out()).startsWith("claimed 800 shares for round(s) [" + round + "]");
    assertThat(ok(me, "status").out()).contains("shares 800").contains("finalized, claimed");
    assertThat(ok(me, "claim").out()).startsWith("nothing to claim for " + address);
    assertThat(fails(me, 1, "claim", "--rounds", Long.toString(round)).err())
        .contains("RunManagerAlreadyClaimed");

    assertThat(fails(me, 1, "unstake", "--amount", "1.5").err())
        .contains("StakeManagerInsufficientStake");
    Result unstaked = ok(me, "unstake", "--amount", "1");
    assertThat(unstaked.out()).contains("unbonding 1 ETH").contains("withdrawable from block");
    assertThat(fails(me, 1, "withdraw").err()).contains("StakeManagerUnbondingNotDue");
    assertThat(ok(me, "status").out()).contains("unbonding  1 ETH, withdrawable at block");

    chain.mine(RunConfig.devnetParams().unbondingBlocks.longValueExact() + 1);
    assertThat(ok(me, "withdraw").out()).startsWith("withdrew 1 ETH to ");
    assertThat(ok(me, "status").out())
        .contains("stake      1 ETH active (role minimum 1 ETH)")
        .contains("unbonding  none");
    assertThat(fails(me, 1, "withdraw").err()).contains("StakeManagerNothingToWithdraw");
  }

  /** The miner's round work through the SDK (the CLI has no commit): commit, then finalize. */
  private static long commitAndFinalizeOneRound(int account, int steps) {
    try (ProtocolClient m = client(account);
        ProtocolClient anyone = client(0)) {
      long round = m.runs().memberOf(m.address()).fromRound();
      RoundClock clock = m.runs().clock(round);
      chain.mineTo(clock.start());
      List<StepLeaf> leaves = new ArrayList<>();
      Bytes32 before = h("init");
      for (int i = 0; i < steps; i++) {
        Bytes32 after = h("params/" + i);
        leaves.add(
            new StepLeaf(
                1,
                round,
                Address.fromHex(m.address()),
                0,
                0,
                i,
                before,
                h("o" + i),
                h("i" + i),
                h("u" + i),
                h("x" + i),
                h("g" + i),
                h("p" + i),
                after));
        before = after;
      }
      m.runs()
          .commit(round, new Commitment(RoundTree.of(leaves).root(), steps, h("delta"), h("init")));
      // the round is checked (seeded) in its check window, or it pays nobody
      chain.mineTo(clock.seedBlock() + 1);
      anyone.runs().drawSeed(round);
      chain.mineTo(clock.voteEnd() + 1);
      anyone.runs().finalizeRound(round);
      return round;
    }
  }

  private static ProtocolClient client(int account) {
    return ProtocolClient.connect(
        chain.deployment(), chain.account(account), Duration.ofMillis(20));
  }

  @Test
  void shouldReportAWrongPasswordInOneLine() throws Exception {
    int me = 2;
    init(me);
    Path wrong = dir.resolve("wrong-password");
    Files.writeString(wrong, "not it\n");
    Result r = fails(me, 1, "stake", "--amount", "1", "--password-file", wrong.toString());
    assertThat(r.err())
        .isEqualTo(
            "miner: wrong password for keystore " + dir.resolve("account-2/keystore.json") + "\n");
  }

  @Test
  void shouldReportBadFlagsInOneLineWithExitCode2() {
    assertThat(fails(3, 2, "join", "--stage", "x", "--endpoint", "http://h:1").err())
        .isEqualTo(
            "miner: Invalid value for option '--stage': 'x' is not an int (see `miner join --help`)\n");
    assertThat(fails(3, 2, "join", "--stage", "0").err())
        .isEqualTo("miner: Missing required option: '--endpoint=URL' (see `miner join --help`)\n");
    assertThat(fails(3, 2, "stake", "--amount", "-1").err())
        .contains("the amount must be positive");
    assertThat(fails(3, 2, "nonsense").err())
        .startsWith("miner: Unmatched arguments from index 0: 'nonsense'");
  }

  @Test
  void shouldRefuseABadEndpointOrStageBeforeOrByTheContract() throws Exception {
    int me = 4;
    init(me);
    assertThat(fails(me, 1, "join", "--stage", "0", "--endpoint", "ftp://h:1").err())
        .startsWith("miner: --endpoint must be an http(s) URL");
    ok(me, "stake", "--amount", "1");
    assertThat(fails(me, 1, "join", "--stage", "5", "--endpoint", "http://127.0.0.1:9004").err())
        .startsWith("miner: refused by the contract: RunManagerInvalidStage(1, 5)");
  }

  @Test
  void shouldReportAnUnreachableRpcInOneLine() throws Exception {
    int me = 5;
    init(me);
    int closed = Ports.unused();
    assertThat(fails(me, 1, "status", "--rpc-url", "http://127.0.0.1:" + closed).err())
        .startsWith("miner: cannot reach the chain at http://127.0.0.1:" + closed + ": ");
    assertThat(
            fails(
                    me,
                    1,
                    "stake",
                    "--amount",
                    "1",
                    "--deployment",
                    dir.resolve("none.json").toString())
                .err())
        .isEqualTo("miner: no deployment file at " + dir.resolve("none.json") + "\n");
  }

  @Test
  void shouldOfferHelpOnEveryCommand() {
    for (String cmd :
        List.of("init", "stake", "join", "run", "status", "claim", "unstake", "withdraw")) {
      Result r = miner(0, cmd, "--help");
      assertThat(r.code()).as(cmd).isZero();
      assertThat(r.out()).as(cmd).startsWith("Usage: miner " + cmd);
    }
  }
}
