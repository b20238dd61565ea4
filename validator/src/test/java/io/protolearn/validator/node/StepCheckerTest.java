package io.protolearn.validator.node;

import static io.protolearn.testing.Hashes.h;
import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.node.artifact.ArtifactClient;
import io.protolearn.node.http.RequestSigner;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.lanes.LaneAssignment;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.lane.StageRoundResult;
import io.protolearn.validator.node.CheckOutcome.BaseMismatch;
import io.protolearn.validator.node.CheckOutcome.Malformed;
import io.protolearn.validator.node.CheckOutcome.Unavailable;
import io.protolearn.validator.node.FakeMiner.Behaviour;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A miner that serves garbage, too much, nothing, or never answers is answered with a challenge (an
 * {@link Unavailable} outcome) within the fetch timeout, never an exception or a hang; leaves under
 * the root that contradict the commitment are fraud decidable on chain. No chain, no training.
 */
class StepCheckerTest {
  private static final long RUN = 1;
  private static final Address M0 = Address.fromHex("0x" + "11".repeat(20));
  private static final Address M1 = Address.fromHex("0x" + "22".repeat(20));
  private static final Bytes32 BASE = h("base");
  private static final TensorMessage.Domain DOMAIN =
      new TensorMessage.Domain(31337, Address.fromHex("0x" + "33".repeat(20)));

  private Vertx vertx;
  private FakeMiner miner;
  private String endpoint;
  private ArtifactClient client;

  /**
   * One request before the timed tests: the first of a JVM loads the HTTP, JSON and signature code,
   * which on a loaded machine can take longer than the short fetch timeout the tests use.
   */
  @BeforeAll
  static void warmUp() throws Exception {
    Vertx v = Vertx.vertx();
    try (FakeMiner m = new FakeMiner(v, RUN, DOMAIN, M1);
        ArtifactClient c =
            new ArtifactClient(
                v,
                new RequestSigner(
                    Secp256k1.fromPrivateKey(BigInteger.valueOf(98)), DOMAIN.chainId()),
                Duration.ofSeconds(30),
                64 * 1024,
                1024 * 1024)) {
      assertThat(c.leaf(M1, "http://127.0.0.1:" + m.start(), 0, 0).failure()).isEqualTo("HTTP 404");
    } finally {
      v.close();
    }
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    miner = new FakeMiner(vertx, RUN, DOMAIN, M1);
    endpoint = "http://127.0.0.1:" + miner.start();
    client =
        new ArtifactClient(
            vertx,
            new RequestSigner(Secp256k1.fromPrivateKey(BigInteger.valueOf(99)), DOMAIN.chainId()),
            Duration.ofMillis(1500),
            64 * 1024,
            1024 * 1024);
  }

  @AfterEach
  void stop() {
    client.close();
    miner.close();
    vertx.close();
  }

  private static StepLeaf leaf(int stage, int step, Bytes32 before) {
    return new StepLeaf(
        RUN,
        0,
        M1,
        stage,
        0,
        step,
        before,
        h("opt" + step),
        h("in" + step),
        h("up" + step),
        h("out" + step),
        h("ig" + step),
        h("pg" + step),
        h("after" + step));
  }

  /** Serves a stage-1 tree of four leaves (the first {@code firstStage} / {@code firstBase}). */
  private RoundView serve(int firstStage, Bytes32 firstBase, Bytes32 committedRoot) {
    List<StepLeaf> leaves = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      leaves.add(leaf(i == 0 ? firstStage : 1, i, i == 0 ? firstBase : h("after" + (i - 1))));
    }
    RoundTree tree = RoundTree.of(leaves);
    StageRoundResult r =
        new StageRoundResult(1, 0, M1, tree, null, List.of(), h("delta"), BASE, null, Double.NaN);
    miner.serve(0, List.of(r, r), 1);
    Bytes32 root = committedRoot == null ? tree.root() : committedRoot;
    return new RoundView(
        RUN,
        0,
        null,
        null,
        h("seed"),
        List.of(),
        LaneAssignment.of(List.of(List.of(M0), List.of(M1)), Bytes32.ZERO),
        Map.of(M1, new RoundView.Committed(M1, 1, 0, new Commitment(root, 4, h("delta"), BASE))),
        Map.of(M0, endpoint, M1, endpoint),
        List.of(M0, M1));
  }

  private CheckOutcome check(RoundView view, int step) {
    return new StepChecker(client, s -> null, DOMAIN).check(view, M1, step);
  }

  @Test
  void shouldCallGarbageEvidenceUnavailable() {
    miner.behave(Behaviour.GARBAGE);
    CheckOutcome o = check(serve(1, BASE, null), 2);
    assertThat(o).isInstanceOf(Unavailable.class);
    assertThat(o.describe()).contains("undecodable");
  }

  @Test
  void shouldStopReadingAnOversizedBody() {
    miner.behave(Behaviour.OVERSIZED);
    CheckOutcome o = check(serve(1, BASE, null), 2);
    assertThat(o).isInstanceOf(Unavailable.class);
    assertThat(o.describe()).contains("over");
  }

  @Test
  void shouldGiveUpOnAMinerThatNeverAnswers() {
    miner.behave(Behaviour.HANG);
    long t0 = System.nanoTime();
    CheckOutcome o = check(serve(1, BASE, null), 2);
    assertThat(o).isInstanceOf(Unavailable.class);
    assertThat(o.describe()).containsAnyOf("timed out", "closed");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void shouldCallAWithholderOrAnUnreachableMinerUnavailable() {
    miner.behave(Behaviour.WITHHOLD);
    assertThat(check(serve(1, BASE, null), 1).describe()).contains("HTTP 404");
    RoundView view = serve(1, BASE, null);
    RoundView gone =
        new RoundView(
            view.runId(),
            0,
            null,
            null,
            view.seed(),
            view.validators(),
            view.lanes(),
            view.commitments(),
            Map.of(M1, "http://127.0.0.1:1"),
            List.of(M0, M1));
    assertThat(check(gone, 1)).isInstanceOf(Unavailable.class);
  }

  @Test
  void shouldRefuseALeafThatIsNotUnderTheCommittedRoot() {
    CheckOutcome o = check(serve(1, BASE, h("another root")), 1);
    assertThat(o).isInstanceOf(Unavailable.class);
    assertThat(o.describe()).contains("root");
  }

  @Test
  void shouldProveALeafOfTheWrongStageMalformed() {
    CheckOutcome o = check(serve(0, BASE, null), 0);
    assertThat(o).isInstanceOf(Malformed.class);
    assertThat(((Malformed) o).leaf().leaf().stage()).isZero();
  }

  @Test
  void shouldProveAFirstStepThatDoesNotStartFromTheBase() {
    assertThat(check(serve(1, h("not the base"), null), 0)).isInstanceOf(BaseMismatch.class);
  }
}
