package io.protolearn.miner;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.deploy.RunConfig;
import io.protolearn.chain.local.AnvilNode;
import io.protolearn.chain.local.LocalChain;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.protocol.round.RoundClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.utils.Numeric;

/** The miner CLI, run in-process against a real local chain. */
class MinerCommandIT {
  private static LocalChain chain;
  @TempDir static Path dir;
  private static Path deployment;
  private static Path password;

  record Result(int code, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    chain =
        LocalChain.start(
            AnvilNode.Options.forTests(),
            RunConfig.devnet(h("model"), h("data"), h("train"), h("root"), h("init"), 2, 16));
    deployment = dir.resolve("deployment.json");
    chain.deployment().save(deployment);
    password = dir.resolve("password");
    Files.writeString(password, "miner password\n");
  }

  @AfterAll
  static void stop() {
    if (chain != null) {
      chain.close();
    }
  }

  static Bytes32 h(String s) {
    return new Bytes32(Keccak.keccak256(s.getBytes(StandardCharsets.UTF_8)));
  }

  /** Runs {@code miner <args> --deployment ... --data-dir <dir>/<account> --password-file ...}. */
  private static Result miner(int account, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.contains("--help")) {
      addUnlessGiven(all, "--data-dir", dir.resolve("account-" + account).toString());
      addUnlessGiven(all, "--password-file", password.toString());
      if (!args[0].equals("init")) {
        addUnlessGiven(all, "--deployment", deployment.toString());
      }
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        MinerCommand.execute(
            Map.of(),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  private static void addUnlessGiven(List<String> args, String option, String value) {
    if (!args.contains(option)) {
      args.add(option);
      args.add(value);
    }
  }

  private static Result ok(int account, String... args) {
    Result r = miner(account, args);
    assertThat(r.code()).as("miner %s: %s", String.join(" ", args), r.err()).isZero();
    assertThat(r.err()).isEmpty();
    return r;
  }

  private static Result fails(int account, int code, String... args) {
    Result r = miner(account, args);
    assertThat(r.code()).as("miner %s: %s", String.join(" ", args), r.out()).isEqualTo(code);
    assertThat(r.err()).startsWith("miner: ").endsWith("\n");
    assertThat(r.err().lines()).as("one line on stderr").hasSize(1);
    return r;
  }

  /** Imports anvil's development key of {@code account} into that account's data folder. */
  private static void init(int account) throws Exception {
    Path key = dir.resolve("key-" + account);
    Files.writeString(
        key,
        Numeric.toHexStringWithPrefixZeroPadded(
            chain.account(account).getEcKeyPair().getPrivateKey(), 64));
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
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
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
