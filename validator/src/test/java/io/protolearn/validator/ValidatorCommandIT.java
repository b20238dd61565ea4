package io.protolearn.validator;

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
import java.math.BigInteger;
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

/** The validator CLI, run in-process against a real local chain. */
class ValidatorCommandIT {
  private static final BigInteger ETHER = BigInteger.TEN.pow(18);
  private static final CliHarness CLI =
      CliHarness.of(
          "validator", (out, err, args) -> ValidatorCommand.execute(Map.of(), out, err, args));

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
    Files.writeString(password, "validator password\n");
  }

  /** {@code <args>} with this account's data folder, password and deployment. */
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

  private static Result validator(int account, String... args) {
    return CLI.run(withDefaults(account, args));
  }

  private static Result ok(int account, String... args) {
    return CLI.ok(withDefaults(account, args));
  }

  private static Result fails(int account, int code, String... args) {
    return CLI.fails(code, withDefaults(account, args));
  }

  private static void init(int account) throws Exception {
    Path key = NodeKeys.writeKey(chain.account(account), dir.resolve("key-" + account));
    ok(account, "init", "--import-key", key.toString(), "--light-kdf");
  }

  private static ProtocolClient client(int account) {
    return ProtocolClient.connect(
        chain.deployment(), chain.account(account), Duration.ofMillis(20));
  }

  @Test
  void shouldStakeRegisterAttestClaimUnstakeAndWithdraw() throws Exception {
    int me = 1;
    int minerAccount = 10;
    init(me);
    assertThat(ok(me, "status").out())
        .contains("role       none (run `validator register --endpoint URL`)");

    ok(me, "stake", "--amount", "0.25");
    assertThat(fails(me, 1, "register", "--endpoint", "http://127.0.0.1:9100").err())
        .startsWith("validator: refused by the contract: RunManagerInsufficientStake(");
    ok(me, "stake", "--amount", "1.75");
    assertThat(ok(me, "register", "--endpoint", "http://127.0.0.1:9100").out())
        .startsWith("registered as a validator of run 1 from round ");
    assertThat(ok(me, "status").out())
        .contains("role       validator from round")
        .contains("endpoint   http://127.0.0.1:9100")
        .contains("stake      2 ETH active (role minimum 1 ETH)");

    long round = attestAndFinalizeOneRound(me, minerAccount);
    assertThat(ok(me, "status").out())
        .contains("attested 2 checks, finalized, claimable 200 shares");
    assertThat(ok(me, "claim", "--rounds", Long.toString(round)).out())
        .startsWith("claimed 200 shares for round(s) [" + round + "]");
    assertThat(ok(me, "status").out()).contains("shares 200");

    assertThat(ok(me, "unstake", "--amount", "1").out()).contains("unbonding 1 ETH");
    assertThat(fails(me, 1, "withdraw").err()).contains("StakeManagerUnbondingNotDue");
    chain.mine(RunConfig.devnetParams().unbondingBlocks.longValueExact() + 1);
    assertThat(ok(me, "withdraw").out()).startsWith("withdrew 1 ETH to ");
    assertThat(ok(me, "status").out()).contains("unbonding  none");
  }

  @Test
  void shouldRefuseToRunWithSpecsThatAreNotTheRuns() throws Exception {
    int me = 7;
    init(me);
    assertThat(ok(me, "run", "--help").out()).contains("--workers").contains("--specs");
    assertThat(fails(me, 1, "run", "--specs", dir.resolve("no-such-folder").toString()).err())
        .startsWith("validator: cannot read ");
    Path specs = Files.createDirectories(dir.resolve("specs"));
    var model = new io.protolearn.training.spec.ModelSpec(256, 32, 2, 2, 16, 64, List.of(1, 1));
    Files.writeString(
        specs.resolve("model.json"), io.protolearn.training.spec.CanonicalJson.toJson(model));
    var corpus = io.protolearn.training.data.Corpus.bundled(1000);
    Files.writeString(
        specs.resolve("data.json"),
        io.protolearn.training.spec.CanonicalJson.toJson(corpus.dataSpec(16, 1000)));
    Files.writeString(
        specs.resolve("train.json"),
        io.protolearn.training.spec.CanonicalJson.toJson(
            io.protolearn.training.spec.TrainSpec.DEFAULT));
    assertThat(fails(me, 1, "run", "--specs", specs.toString()).err())
        .isEqualTo("validator: model.json does not hash to the run's registered spec hash\n");
  }

  /** A miner (through the SDK) commits, this validator attests (SDK too), anyone finalizes. */
  private static long attestAndFinalizeOneRound(int validatorAccount, int minerAccount) {
    try (ProtocolClient v = client(validatorAccount);
        ProtocolClient m = client(minerAccount)) {
      m.staking().stake(ETHER);
      m.runs().joinAsMiner(0, "http://127.0.0.1:9000");
      long round =
          Math.max(
              v.runs().memberOf(v.address()).fromRound(),
              m.runs().memberOf(m.address()).fromRound());
      RoundClock clock = v.runs().clock(round);
      chain.mineTo(clock.start());
      List<StepLeaf> leaves = new ArrayList<>();
      Bytes32 before = h("init");
      for (int i = 0; i < 4; i++) {
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
      m.runs().commit(round, new Commitment(RoundTree.of(leaves).root(), 4, h("d"), h("init")));
      chain.mineTo(clock.seedBlock() + 1);
      v.runs().drawSeed(round);
      v.runs().attest(round, h("receipts"), 2, List.of());
      chain.mineTo(clock.voteEnd() + 1);
      v.runs().finalizeRound(round);
      return round;
    }
  }

  @Test
  void shouldRefuseToRegisterAMinerAsAValidatorWithTheContractsError() throws Exception {
    int me = 2;
    init(me);
    try (ProtocolClient m = client(me)) {
      m.staking().stake(ETHER.multiply(BigInteger.TWO));
      m.runs().joinAsMiner(1, "http://127.0.0.1:9001");
    }
    assertThat(fails(me, 1, "register", "--endpoint", "http://127.0.0.1:9102").err())
        .startsWith("validator: refused by the contract: RunManagerAlreadyMember(1, ");
    assertThat(ok(me, "status").out()).contains("role       miner of stage 1");
  }

  @Test
  void shouldReportAWrongPasswordInOneLine() throws Exception {
    int me = 3;
    init(me);
    Path wrong = dir.resolve("wrong-password");
    Files.writeString(wrong, "not it\n");
    assertThat(
            fails(
                    me,
                    1,
                    "register",
                    "--endpoint",
                    "http://h:1",
                    "--password-file",
                    wrong.toString())
                .err())
        .isEqualTo(
            "validator: wrong password for keystore "
                + dir.resolve("account-3/keystore.json")
                + "\n");
  }

  @Test
  void shouldReportBadFlagsAndAnUnreachableRpcInOneLine() throws Exception {
    assertThat(fails(4, 2, "register").err())
        .isEqualTo(
            "validator: Missing required option: '--endpoint=URL' (see `validator register"
                + " --help`)\n");
    assertThat(fails(4, 2, "unstake", "--amount", "1e-30").err())
        .contains("has more than 18 decimals");
    assertThat(fails(4, 2, "join", "--stage", "0").err())
        .startsWith("validator: Unmatched arguments from index 0: 'join'");
    assertThat(fails(4, 1, "run", "--specs", ".", "--adversary", "sloth").err())
        .contains("--adversary must be lazy, report-thief, jury-grinder or none, got sloth");
    int me = 5;
    init(me);
    int closed = Ports.unused();
    assertThat(fails(me, 1, "claim", "--rpc-url", "http://127.0.0.1:" + closed).err())
        .startsWith("validator: cannot reach the chain at http://127.0.0.1:" + closed + ": ");
  }

  @Test
  void shouldOfferHelpOnEveryCommand() {
    for (String cmd :
        List.of("init", "stake", "register", "status", "claim", "unstake", "withdraw")) {
      Result r = validator(0, cmd, "--help");
      assertThat(r.code()).as(cmd).isZero();
      assertThat(r.out()).as(cmd).startsWith("Usage: validator " + cmd);
    }
  }
}
