package io.protolearn.holder;

import static io.protolearn.testing.Hashes.h;
import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.chain.client.GovernanceClient.ProposalState;
import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.deploy.RunConfig;
import io.protolearn.chain.local.LocalChain;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.protocol.round.RoundClock;
import io.protolearn.testing.CliHarness;
import io.protolearn.testing.CliHarness.Result;
import io.protolearn.testing.chain.LocalChainExtension;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;

/**
 * The holders' CLI against a real chain: shares earned by mining, delegation, a governed change.
 */
class HolderCommandIT {
  private static final BigInteger ETHER = BigInteger.TEN.pow(18);

  @RegisterExtension static final LocalChainExtension CHAIN = LocalChainExtension.withRun(config());

  @TempDir static Path dir;
  private static LocalChain chain;
  private static Path deployment;

  static Result cli(String... args) {
    return cli(Map.of(), args);
  }

  static Result cli(Map<String, String> env, String... args) {
    return CliHarness.of("protolearn", (out, err, a) -> HolderCommand.execute(env, out, err, a))
        .run(args);
  }

  static Path keystore(int account) throws Exception {
    Path keystore = dir.resolve("holder-" + account + ".json");
    if (!Files.exists(keystore)) {
      Path tmp = Files.createDirectories(dir.resolve("ks-" + account));
      String name =
          WalletUtils.generateWalletFile(
              "pw", chain.account(account).getEcKeyPair(), tmp.toFile(), false);
      Files.move(tmp.resolve(name), keystore);
    }
    return keystore;
  }

  static String[] as(int account, String... args) throws Exception {
    Path keystore = keystore(account);
    Path password = dir.resolve("password");
    Files.writeString(password, "pw\n");
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--deployment", deployment.toString(),
            "--keystore", keystore.toString(),
            "--password-file", password.toString()));
    return all.toArray(String[]::new);
  }

  private static RunConfig config() {
    RunConfig base =
        RunConfig.devnet(h("m"), h("d"), h("t"), h("r"), h("i"), 1, 8).withStartDelay(30);
    RunConfig.Governance g = new RunConfig.Governance(2, 1, 20, ETHER, 4);
    return new RunConfig(
        base.modelSpecHash(),
        base.dataSpecHash(),
        base.trainSpecHash(),
        base.dataRoot(),
        base.initialCheckpointHash(),
        1,
        8,
        30,
        base.params(),
        g,
        "shares",
        "PLS");
  }

  @BeforeAll
  static void earnShares() throws Exception {
    chain = CHAIN.chain();
    deployment = dir.resolve("deployment.json");
    chain.deployment().save(deployment);
    ProtocolClient miner =
        ProtocolClient.connect(chain.deployment(), chain.account(1), Duration.ofMillis(20));
    miner.staking().stake(ETHER.multiply(BigInteger.TWO));
    miner.runs().joinAsMiner(0, "http://127.0.0.1:9000");
    RoundClock clock = miner.runs().clock(0);
    chain.mineTo(clock.start());
    List<StepLeaf> leaves = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      leaves.add(
          new StepLeaf(
              chain.deployment().runId(),
              0,
              Address.fromHex(miner.address()),
              0,
              0,
              i,
              h("p" + i),
              h("o" + i),
              h("in" + i),
              h("u" + i),
              h("out" + i),
              h("ig" + i),
              h("pg" + i),
              h("p" + (i + 1))));
    }
    RoundTree tree = RoundTree.of(leaves);
    miner.runs().commit(0, new Commitment(tree.root(), 4, h("delta"), h("p0")));
    chain.mineTo(clock.seedBlock() + 1);
    miner.runs().drawSeed(0);
    chain.mineTo(clock.voteEnd() + 1);
    miner.runs().finalizeRound(0);
    miner.runs().claim(0);
    miner.close();
  }

  @Test
  void shouldShowTransferAndDelegateShares() throws Exception {
    Credentials other = chain.account(5);
    Result balance = cli(as(1, "shares", "balance"));
    assertThat(balance.code()).as(balance.err()).isZero();
    assertThat(balance.out()).contains("800 shares").contains("100.00%");
    Result sent = cli(as(1, "shares", "transfer", "--to", other.getAddress(), "--amount", "10.5"));
    assertThat(sent.code()).as(sent.err()).isZero();
    assertThat(cli(as(5, "shares", "balance")).out()).contains("10.5 shares");
    Result tooMuch =
        cli(as(5, "shares", "transfer", "--to", chain.account(1).getAddress(), "--amount", "11"));
    assertThat(tooMuch.code()).isEqualTo(1);
    assertThat(tooMuch.err()).contains("you hold 10.5 shares");
    assertThat(cli(as(5, "shares", "transfer", "--to", "0x12", "--amount", "1")).err())
        .contains("not an address");
    assertThat(cli(as(5, "shares", "transfer", "--to", other.getAddress(), "--amount", "-1")).err())
        .contains("positive");
  }

  @Test
  void shouldPassAndExecuteAProposalAndRefuseBadInput() throws Exception {
    assertThat(cli(as(1, "shares", "delegate")).code()).isZero();
    chain.mine(1);

    Result outOfBounds =
        cli(as(1, "gov", "propose", "--set", "sampleRateBps=20000", "--description", "x"));
    assertThat(outOfBounds.code()).isEqualTo(1);
    assertThat(outOfBounds.err()).contains("out of bounds").contains("sampleRateBps");
    assertThat(cli(as(1, "gov", "propose", "--set", "bogus=1", "--description", "x")).err())
        .contains("unknown parameter 'bogus'");
    Result poor = cli(as(6, "gov", "propose", "--set", "sampleRateBps=2500", "--description", "x"));
    assertThat(poor.code()).isEqualTo(1);
    assertThat(poor.err()).contains("GovernorInsufficientProposerVotes");
    assertThat(cli(as(1, "gov", "propose", "--halt", "--pause", "--description", "x")).code())
        .as("one action per proposal")
        .isEqualTo(2);

    Result proposed =
        cli(as(1, "gov", "propose", "--set", "sampleRateBps=2500", "--description", "more checks"));
    assertThat(proposed.code()).as(proposed.err()).isZero();
    Matcher m = Pattern.compile("proposed (\\d+)").matcher(proposed.out());
    assertThat(m.find()).isTrue();
    String id = m.group(1);
    assertThat(proposed.out()).contains("voting closes at block");

    ProtocolClient reader =
        ProtocolClient.connect(chain.deployment(), chain.account(1), Duration.ofMillis(20));
    BigInteger pid = new BigInteger(id);
    chain.mineTo(reader.governance().snapshot(pid) + 1);
    Result vote =
        cli(as(1, "gov", "vote", "--proposal", id, "--support", "for", "--reason", "safer"));
    assertThat(vote.code()).as(vote.err()).isZero();
    assertThat(vote.out()).containsPattern("now for [1-9][0-9.]*, against 0");
    assertThat(cli(as(1, "gov", "vote", "--proposal", id, "--support", "for")).err())
        .contains("GovernorAlreadyCastVote");
    assertThat(cli(as(1, "gov", "vote", "--proposal", id, "--support", "maybe")).err())
        .contains("for, against or abstain");

    Result list = cli(as(1, "gov", "list"));
    assertThat(list.out()).contains("proposal " + id).contains("[ACTIVE]").contains("more checks");

    chain.mineTo(reader.governance().deadline(pid) + 2);
    assertThat(cli(as(5, "gov", "vote", "--proposal", id, "--support", "against")).err())
        .as("voting after the deadline")
        .contains("GovernorUnexpectedProposalState");
    assertThat(cli(as(1, "gov", "queue", "--proposal", id)).code()).isZero();
    Result early = cli(as(1, "gov", "execute", "--proposal", id));
    assertThat(early.code()).isEqualTo(1);
    assertThat(early.err()).contains("TimelockUnexpectedOperationState");
    chain.increaseTime(10);
    chain.mine(1);
    Result executed = cli(as(1, "gov", "execute", "--proposal", id));
    assertThat(executed.code()).as(executed.err()).isZero();
    assertThat(reader.governance().state(pid)).isEqualTo(ProposalState.EXECUTED);
    assertThat(reader.runs().latestParams().sampleRateBps).isEqualTo(BigInteger.valueOf(2500));
    assertThat(cli(as(1, "gov", "execute", "--proposal", id)).code())
        .as("executing twice")
        .isEqualTo(1);
    assertThat(cli(as(1, "gov", "show", "--proposal", id)).out())
        .contains("[EXECUTED]")
        .contains("sampleRateBps=2500");
    reader.close();
  }

  @Test
  void shouldExplainMissingFilesAndWrongPasswords() throws Exception {
    Result missing =
        cli(
            "shares",
            "balance",
            "--deployment",
            dir.resolve("none.json").toString(),
            "--keystore",
            "x",
            "--password-file",
            "y");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).startsWith("protolearn: no deployment file");
    String[] args = as(1, "shares", "balance");
    Files.writeString(dir.resolve("password"), "wrong\n");
    Result wrong = cli(args);
    assertThat(wrong.err()).contains("wrong password");
    Files.writeString(dir.resolve("password"), "pw\n");
  }

  @Test
  void shouldFindThePasswordAsTheNodesDo() throws Exception {
    Path keystore = keystore(1);
    Map<String, String> env =
        Map.of(
            "PROTOLEARN_DEPLOYMENT", deployment.toString(),
            "PROTOLEARN_KEYSTORE", keystore.toString(),
            "PROTOLEARN_PASSWORD", "pw");
    Result fromVariables = cli(env, "shares", "balance");
    assertThat(fromVariables.code()).as(fromVariables.err()).isZero();
    assertThat(fromVariables.out())
        .startsWith(chain.account(1).getAddress() + ": ")
        .contains(" shares (");

    Path passwordFile = Files.writeString(dir.resolve("config-password"), "pw\n");
    Path config =
        Files.writeString(
            dir.resolve("holder.properties"),
            "deployment="
                + deployment
                + "\nkeystore="
                + keystore
                + "\npassword-file="
                + passwordFile);
    Result fromConfig =
        cli(
            Map.of("PROTOLEARN_PASSWORD", "wrong"),
            "shares",
            "balance",
            "--config",
            config.toString());
    assertThat(fromConfig.code()).as("a password file comes before the password variable").isZero();

    Result none =
        cli(
            Map.of(),
            "shares",
            "balance",
            "--deployment",
            deployment.toString(),
            "--keystore",
            keystore.toString());
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err())
        .isEqualTo(
            "protolearn: no keystore password: pass --password-file FILE or set PROTOLEARN_PASSWORD\n");
    assertThat(cli(Map.of(), "shares", "balance", "--deployment", deployment.toString()).err())
        .isEqualTo("protolearn: no keystore: pass --keystore FILE or set PROTOLEARN_KEYSTORE\n");
  }
}
