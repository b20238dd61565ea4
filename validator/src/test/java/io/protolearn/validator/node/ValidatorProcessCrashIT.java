package io.protolearn.validator.node;

import static io.protolearn.testing.Hashes.h;
import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.chain.client.DisputeClient;
import io.protolearn.chain.events.ChainEvent;
import io.protolearn.chain.model.Ballot;
import io.protolearn.chain.model.Challenge;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.protocol.round.RoundClock;
import io.protolearn.testing.ChildJvm;
import io.protolearn.testing.CliHarness;
import io.protolearn.testing.chain.NodeKeys;
import io.protolearn.training.lane.StageRoundResult;
import io.protolearn.training.spec.CanonicalJson;
import io.protolearn.validator.ValidatorCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * {@code validator run} as a child process sitting on a jury, dying abruptly ({@code Runtime.halt},
 * no shutdown hooks — what {@code kill -9} does to the process) right after writing its vote's salt
 * and before the commit transaction, then right before revealing, and finally killed with SIGKILL
 * once it revealed: each restart commits the same vote once and reveals it.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ValidatorProcessCrashIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final CliHarness CLI =
      CliHarness.of(
          "validator", (out, err, args) -> ValidatorCommand.execute(Map.of(), out, err, args));
  @TempDir Path dir;

  @Test
  void shouldNeverLoseTheSaltNorVoteTwiceAcrossKills() throws Exception {
    try (ValidatorFixture f = new ValidatorFixture(dir, 3, true, 3)) {
      int child = 1; // validator index 1 runs as a process; index 0 in this JVM
      Path data = dir.resolve("child");
      Path deployment = dir.resolve("deployment.json");
      f.chain.deployment().save(deployment);
      Path password = dir.resolve("password");
      Files.writeString(password, "child password\n");
      Path specs = Files.createDirectories(dir.resolve("specs"));
      Files.writeString(specs.resolve("model.json"), CanonicalJson.toJson(ValidatorFixture.MODEL));
      Files.writeString(specs.resolve("data.json"), CanonicalJson.toJson(ValidatorFixture.DATA));
      Files.writeString(specs.resolve("train.json"), CanonicalJson.toJson(ValidatorFixture.TRAIN));
      CLI.ok(NodeKeys.importInit(f.chain.account(3 + child), dir.resolve("key"), data, password));
      String juror = f.validators.get(child).address();

      // a fabricated step, challenged by validator 2 (no node runs for it): validators 0 and 1 are
      // drawn as jurors
      List<StageRoundResult> lane =
          f.trainAndCommit(
              0,
              l ->
                  ValidatorFixture.withLeaf(
                      l, 1, 2, x -> ValidatorFixture.withParamGrad(x, h("fabricated"))));
      RoundClock clock = f.clock(0);
      f.chain.mineTo(clock.seedBlock() + 1);
      f.deployer.runs().drawSeed(0);
      StageRoundResult cheat = lane.get(1);
      StepLeaf bad = cheat.tree().leaf(2);
      TransactionReceipt filed =
          f.validators
              .get(2)
              .disputes()
              .challengeWrongResult(
                  0,
                  cheat.miner().toHex(),
                  new Commitment(
                      cheat.root(), cheat.stepCount(), cheat.deltaHash(), cheat.baseHash()),
                  new DisputeClient.ProvenLeaf(bad, cheat.tree().proof(bad)),
                  f.deployer.runs().paramsAt(0).challengeBond);
      var opened = DisputeClient.challengeEvents(filed).get(0);
      long id = opened.challengeId();
      f.chain.mineTo(opened.drawBlock() + 1);
      f.deployer.disputes().drawJury(id);
      assertThat(f.deployer.disputes().jurors(id)).hasSize(2);
      Challenge ch = f.deployer.disputes().challenge(id);
      ValidatorService inProcess = f.validator(0, ValidatorService.CrashPoints.NONE);

      // 1. dies after the salt is on disk, before commitVote is sent
      Process p = start(data, deployment, password, specs, "commit-vote");
      assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(log(data)).isTrue();
      assertThat(p.exitValue()).as(log(data)).isEqualTo(137);
      Path salt = data.resolve("markers").resolve("vote-" + id);
      assertThat(salt).exists();
      String stored = Files.readString(salt);
      assertThat(committed(f, id, juror)).isFalse();
      inProcess.tick();

      // 2. restarts, commits the stored vote, and dies just before revealing
      p = start(data, deployment, password, specs, "reveal-vote");
      Process first = p;
      waitFor(() -> committed(f, id, juror) || !first.isAlive(), "the vote to be committed");
      assertThat(Files.readString(salt)).as("the same salt").isEqualTo(stored);
      String[] vote = stored.split(" ");
      assertThat(f.deployer.disputes().ballot(id, juror).commitment())
          .isEqualTo(
              f.deployer
                  .disputes()
                  .voteCommitment(Boolean.parseBoolean(vote[0]), Bytes32.fromHex(vote[1]), juror));
      f.chain.mineTo(ch.voteCommitEnd() + 1);
      assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(log(data)).isTrue();
      assertThat(p.exitValue()).isEqualTo(137);
      assertThat(f.deployer.disputes().ballot(id, juror).revealed()).isFalse();
      inProcess.tick();

      // 3. restarts and reveals; then SIGKILL
      p = start(data, deployment, password, specs, null);
      waitFor(() -> f.deployer.disputes().ballot(id, juror).revealed(), "the vote to be revealed");
      p.destroyForcibly().waitFor();

      f.chain.mineTo(ch.voteEnd() + 1);
      inProcess.tick();
      Ballot b = f.deployer.disputes().ballot(id, juror);
      assertThat(b.guilty()).isTrue();
      assertThat(f.deployer.runs().commitmentOf(0, cheat.miner().toHex()).convicted()).isTrue();
      long commits =
          new io.protolearn.chain.events.EventFeed(
                  f.chain.web3j(), List.of(f.deployer.disputes().address()))
              .poll(0, f.chain.blockNumber()).stream()
                  .filter(
                      e ->
                          e instanceof ChainEvent.VoteCommitted v
                              && v.juror().equalsIgnoreCase(juror))
                  .count();
      assertThat(commits).as("committed once").isEqualTo(1);
      inProcess.close();
    }
  }

  private static boolean committed(ValidatorFixture f, long id, String juror) {
    return f.deployer.disputes().ballot(id, juror).committed();
  }

  private static void waitFor(Callable<Boolean> condition, String what) {
    Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(condition);
  }

  private static Process start(Path data, Path deployment, Path password, Path specs, String crash)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "run",
                "--specs",
                specs.toString(),
                "--deployment",
                deployment.toString(),
                "--data-dir",
                data.toString(),
                "--password-file",
                password.toString(),
                "--poll-ms",
                "200",
                "--block-time-ms",
                "500"));
    if (crash != null) {
      cmd.add("--crash-at");
      cmd.add(crash);
    }
    return ChildJvm.of(ValidatorCommand.class).args(cmd).logTo(data.resolve("node.log")).start();
  }

  private static String log(Path data) {
    try {
      return Files.readString(data.resolve("node.log"));
    } catch (Exception e) {
      return "(no log)";
    }
  }
}
