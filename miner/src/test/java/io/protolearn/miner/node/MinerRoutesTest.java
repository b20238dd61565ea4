package io.protolearn.miner.node;

import static io.protolearn.testing.Hashes.h;
import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.node.artifact.ArtifactApi;
import io.protolearn.node.http.HttpConfig;
import io.protolearn.node.http.NodeHttpService;
import io.protolearn.node.http.Readiness;
import io.protolearn.node.http.RequestSignature;
import io.protolearn.node.http.RequestSigner;
import io.protolearn.node.http.SignatureVerifier;
import io.protolearn.node.metrics.Metrics;
import io.protolearn.node.store.StepKey;
import io.protolearn.node.store.StepStore;
import io.protolearn.node.store.StoreConfig;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.protocol.crypto.TensorMessage;
import io.protolearn.protocol.lanes.LaneAssignment;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.protolearn.training.lane.LaneInbox;
import io.protolearn.training.lane.OuterStep;
import io.protolearn.training.lane.SignedTensor;
import io.protolearn.training.spec.RunSpecs;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad request to the miner's endpoints, sent over real HTTP: each gets a 4xx with a
 * clear JSON message and changes nothing (no tensor reaches the inbox, nothing is served).
 */
class MinerRoutesTest {
  static final Secp256k1.KeyPair ME = Secp256k1.fromPrivateKey(BigInteger.valueOf(101));
  static final Secp256k1.KeyPair PEER = Secp256k1.fromPrivateKey(BigInteger.valueOf(102));
  static final Secp256k1.KeyPair STRANGER = Secp256k1.fromPrivateKey(BigInteger.valueOf(103));
  static final Secp256k1.KeyPair VALIDATOR = Secp256k1.fromPrivateKey(BigInteger.valueOf(104));
  static final Secp256k1.KeyPair STAGE_PEER = Secp256k1.fromPrivateKey(BigInteger.valueOf(105));

  /** A validator only from the current round on (joined after the committed round). */
  static final Secp256k1.KeyPair NEWCOMER = Secp256k1.fromPrivateKey(BigInteger.valueOf(106));

  /** A miner of this stage only from the current round on (joined after the committed round). */
  static final Secp256k1.KeyPair JOINER = Secp256k1.fromPrivateKey(BigInteger.valueOf(107));

  static final long RUN = 1;
  static final long ROUND = 5;
  static final long COMMITTED = 4;
  static final TensorMessage.Domain DOMAIN = new TensorMessage.Domain(31337, Address.ZERO);

  /** Requests to this miner are signed for it on the run's chain. */
  static final RequestSignature.Audience AUDIENCE =
      new RequestSignature.Audience(DOMAIN.chainId(), ME.address());

  /** Request headers signed by {@code key} for this miner. */
  static Map<String, String> signed(
      Secp256k1.KeyPair key, String method, String path, byte[] body) {
    return new RequestSigner(key, DOMAIN.chainId()).headers(ME.address(), method, path, body);
  }

  static final RunSpecs SPECS = RunSpecs.devnet();
  static final long MAX_BODY = 64 * 1024;

  @TempDir Path dir;
  private Vertx vertx;
  private NodeHttpService service;
  private StepStore store;
  private LaneInbox inbox;
  private MinerMetrics metrics;
  private Metrics registry;
  private String base;
  private RoundTree tree;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    registry = new Metrics();
    metrics = new MinerMetrics(registry);
    inbox = new LaneInbox();
    store = StepStore.open(dir.resolve("store"), new StoreConfig(3));
    RoundJournal journal = new RoundJournal(dir);
    commitFakeRound(journal);
    PartyCache parties = new PartyCache();
    for (long r = 0; r <= ROUND; r++) {
      parties.put(
          r,
          r == ROUND
              ? Set.of(VALIDATOR.address(), NEWCOMER.address())
              : Set.of(VALIDATOR.address()),
          r == ROUND
              ? Set.of(ME.address(), STAGE_PEER.address(), JOINER.address())
              : Set.of(ME.address(), STAGE_PEER.address()));
    }
    RoundPlan plan =
        new RoundPlan(
            RUN,
            ROUND,
            new LaneAssignment(List.of(List.of(PEER.address(), ME.address())), List.of()),
            0,
            1,
            List.of(PEER.address(), ME.address()),
            Map.of(PEER.address(), "http://127.0.0.1:1", ME.address(), "http://127.0.0.1:2"));
    MinerRoutes routes =
        new MinerRoutes(
            vertx,
            new MinerRoutes.Context(
                RUN, 1, SPECS, DOMAIN, () -> Optional.of(plan), () -> ROUND, 3, 4),
            SignatureVerifier.anySigner(
                Clock.systemUTC(), SignatureVerifier.Config.DEFAULT, AUDIENCE, registry),
            new SignatureVerifier(
                Clock.systemUTC(),
                SignatureVerifier.Config.DEFAULT,
                AUDIENCE,
                parties::known,
                "a validator or stage peer",
                registry),
            inbox,
            parties,
            new ArtifactService(RUN, store, journal, DOMAIN),
            metrics);
    service =
        new NodeHttpService(
            vertx,
            HttpConfig.builder().maxBodyBytes(MAX_BODY).build(),
            registry,
            Readiness.ALWAYS,
            List.of(routes));
    int port = service.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + port;
  }

  /** A committed round 4 of 3 steps with made-up leaves, as the node would have stored it. */
  private void commitFakeRound(RoundJournal journal) {
    List<StepLeaf> leaves = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      leaves.add(
          new StepLeaf(
              RUN,
              COMMITTED,
              ME.address(),
              1,
              0,
              i,
              h("b" + i),
              h("o" + i),
              h("i" + i),
              h("u" + i),
              h("x" + i),
              h("g" + i),
              h("p" + i),
              h("b" + (i + 1))));
      StepKey key = new StepKey(RUN, COMMITTED, 1, 0, i);
      store.putLeaf(key, leaves.get(i).abiEncode());
      store.putArtifact(key, StepStore.ArtifactKind.INPUT, TensorCodec.encode(activation(i)));
      store.putArtifact(
          key,
          StepStore.ArtifactKind.UPSTREAM,
          TensorCodec.encode(HostTensor.ofInts(new int[] {1, 2}, 1, 2)));
      store.putArtifact(key, StepStore.ArtifactKind.INPUT_MESSAGE, new byte[65]);
    }
    store.putCheckpoint(
        new StepKey(RUN, COMMITTED, 1, 0, 0),
        io.protolearn.training.model.StageState.fresh(List.of(HostTensor.of(new float[] {1}, 1)))
            .encode());
    store.sealRound(RUN, COMMITTED, 1, 0, 3);
    tree = RoundTree.of(leaves);
    List<HostTensor> delta = List.of(HostTensor.of(new float[] {1, 2}, 2));
    journal.markTrained(
        new RoundJournal.Trained(
            COMMITTED,
            0,
            1,
            List.of(PEER.address().toHex(), ME.address().toHex()),
            tree.root().toHex(),
            3,
            TensorCodec.hashList(delta).toHex(),
            h("b0").toHex(),
            2.5),
        delta);
    journal.markCommitted(COMMITTED, "0xabc");
    journal.putBase(COMMITTED, OuterStep.OuterState.initial(delta));
  }

  @AfterEach
  void stop() throws Exception {
    service.stop().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    store.close();
  }

  static HostTensor activation(float fill) {
    int n = SPECS.train().microBatch() * SPECS.seqLength() * SPECS.model().dModel();
    float[] v = new float[n];
    java.util.Arrays.fill(v, fill);
    return HostTensor.of(v, SPECS.train().microBatch(), SPECS.seqLength(), SPECS.model().dModel());
  }

  static SignedTensor message(Secp256k1.KeyPair signer, long round, int step, HostTensor t) {
    return SignedTensor.sign(DOMAIN, signer, RUN, round, 0, step, 0, 1, t);
  }

  record Sent(int status, String body, Map<String, String> headers, byte[] raw) {
    String error() {
      return new JsonObject(body).getString("error");
    }
  }

  /** POSTs a tensor signed (request) by {@code requestSigner}; headers can be overridden. */
  private Sent postTensor(
      Secp256k1.KeyPair requestSigner, SignedTensor m, byte[] body, Map<String, String> override)
      throws Exception {
    Map<String, String> headers = new HashMap<>();
    if (requestSigner != null) {
      headers.putAll(signed(requestSigner, "POST", "/v1/lane/tensor", body));
    }
    if (m != null) {
      headers.put(
          ArtifactApi.TENSOR_HEADER, ArtifactApi.encodeTensorHeader(m.header(), m.signature()));
    }
    headers.putAll(override);
    return send("POST", "/v1/lane/tensor", body, headers);
  }

  private Sent send(String method, String path, byte[] body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Sent(
        r.statusCode(), new String(r.body(), StandardCharsets.UTF_8), headers, r.body());
  }

  private Sent get(Secp256k1.KeyPair signer, String path) throws Exception {
    Map<String, String> headers =
        signer == null ? Map.of() : signed(signer, "GET", path, new byte[0]);
    return send("GET", path, new byte[0], headers);
  }

  private Sent postGood(int step) throws Exception {
    SignedTensor m = message(PEER, ROUND, step, activation(step));
    return postTensor(PEER, m, TensorCodec.encode(m.tensor()), Map.of());
  }

  // ---- lane tensors ----

  @Test
  void shouldServeARoundWhoseCommitLandedWithoutItsReceiptOnceTheChainHoldsIt() throws Exception {
    // the commit was mined but the node never saw the receipt (a timeout, a crash): the journal
    // has the round trained, not committed. Peers still need its delta, or they sit out for good.
    RoundJournal lost = new RoundJournal(dir.resolve("lost"));
    RoundJournal.Trained t = new RoundJournal(dir).trained(COMMITTED).orElseThrow();
    lost.markTrained(t, TensorCodec.decodeList(new RoundJournal(dir).deltaBytes(COMMITTED).get()));
    List<Commitment> asked = new ArrayList<>();
    ArtifactService notOnChain =
        new ArtifactService(RUN, store, lost, DOMAIN, Adversary.HONEST, (r, c) -> false);
    assertThat(notOnChain.round(COMMITTED)).isEmpty();
    assertThat(lost.committed(COMMITTED)).isFalse();
    ArtifactService onChain =
        new ArtifactService(
            RUN,
            store,
            lost,
            DOMAIN,
            Adversary.HONEST,
            (r, c) -> {
              asked.add(c);
              return r == COMMITTED;
            });
    assertThat(onChain.round(COMMITTED)).isPresent();
    assertThat(asked).containsExactly(t.commitment());
    assertThat(lost.committed(COMMITTED)).as("marked, not asked again").isTrue();
    assertThat(onChain.delta(COMMITTED)).isPresent();
  }

  @Test
  void shouldAcceptATensorFromTheLanePeerOnceAndRefuseItsReplayAndDuplicate() throws Exception {
    SignedTensor m = message(PEER, ROUND, 0, activation(1));
    byte[] body = TensorCodec.encode(m.tensor());
    Sent first = postTensor(PEER, m, body, Map.of());
    assertThat(first.status()).isEqualTo(202);
    assertThat(inbox.pending()).isEqualTo(1);

    Sent replay = send("POST", "/v1/lane/tensor", body, first.headers());
    assertThat(replay.status()).isEqualTo(409);
    assertThat(replay.error()).startsWith("replayed request");

    Sent duplicate = postTensor(PEER, m, body, Map.of());
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.error()).startsWith("duplicate");
    assertThat(inbox.pending()).isEqualTo(1);

    assertThat(send("GET", "/metrics", new byte[0], Map.of()).status())
        .as("metrics are served on a local port apart")
        .isEqualTo(404);
    assertThat(registry.scrape())
        .contains("protolearn_miner_lane_bytes_received_total " + (double) body.length + "\n")
        .contains("protolearn_miner_steps_total 0.0\n")
        .contains("protolearn_miner_commit_latency_seconds");
    assertThat(send("GET", "/health/live", new byte[0], Map.of()).status()).isEqualTo(200);
  }

  @Test
  void shouldRefuseUnsignedAndWronglySignedTensors() throws Exception {
    SignedTensor m = message(PEER, ROUND, 0, activation(1));
    byte[] body = TensorCodec.encode(m.tensor());
    Sent unsigned = postTensor(null, m, body, Map.of());
    assertThat(unsigned.status()).isEqualTo(401);
    assertThat(unsigned.error()).startsWith("unsigned request");

    Map<String, String> forged = new HashMap<>(signed(STRANGER, "POST", "/v1/lane/tensor", body));
    forged.put("X-Protolearn-Signer", PEER.address().toHex());
    Sent wrong = postTensor(null, m, body, forged);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.error()).startsWith("signature does not match signer");

    // request signed by the peer, tensor signed by someone else
    SignedTensor other = message(STRANGER, ROUND, 0, activation(1));
    Sent eip712 = postTensor(PEER, other, body, Map.of());
    assertThat(eip712.status()).isEqualTo(401);
    assertThat(eip712.error()).contains("EIP-712 signature");
    assertThat(inbox.pending()).isZero();
  }

  @Test
  void shouldRefuseMalformedAndOversizedTensors() throws Exception {
    SignedTensor m = message(PEER, ROUND, 0, activation(1));
    byte[] body = TensorCodec.encode(m.tensor());
    Sent noHeader = postTensor(PEER, null, body, Map.of());
    assertThat(noHeader.status()).isEqualTo(400);
    assertThat(noHeader.error()).isEqualTo("X-Protolearn-Tensor-Header header missing");

    Sent badHeader = postTensor(PEER, null, body, Map.of(ArtifactApi.TENSOR_HEADER, "{\"runId\":"));
    assertThat(badHeader.status()).isEqualTo(400);
    assertThat(badHeader.error()).startsWith("malformed X-Protolearn-Tensor-Header");

    Sent garbage = postTensor(PEER, m, "not a tensor".getBytes(StandardCharsets.UTF_8), Map.of());
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(garbage.error()).startsWith("body is not a tensor");

    byte[] otherBody = TensorCodec.encode(activation(2));
    Sent mismatch = postTensor(PEER, m, otherBody, Map.of());
    assertThat(mismatch.status()).isEqualTo(400);
    assertThat(mismatch.error()).isEqualTo("body does not hash to the signed tensorHash");

    SignedTensor small = message(PEER, ROUND, 0, HostTensor.of(new float[] {1, 2}, 2));
    Sent shape = postTensor(PEER, small, TensorCodec.encode(small.tensor()), Map.of());
    assertThat(shape.status()).isEqualTo(400);
    assertThat(shape.error()).startsWith("tensor must be float32 of shape [4, 16, 32]");

    Sent huge = postTensor(PEER, m, new byte[(int) MAX_BODY + 1], Map.of());
    assertThat(huge.status()).isEqualTo(413);
    assertThat(inbox.pending()).isZero();
  }

  @Test
  void shouldRefuseNonFiniteAndHugeTensorsFromTheLanePeerAtTheDoor() throws Exception {
    // the attack: the lane peer signs a NaN (or infinite, or enormous) activation; accepted, it
    // reaches this miner's optimizer, which throws on the non-finite gradient and loses the round
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, -1e30f}) {
      HostTensor t = activation(1);
      t.floats()[7] = bad;
      SignedTensor m = message(PEER, ROUND, 0, t);
      Sent sent = postTensor(PEER, m, TensorCodec.encode(m.tensor()), Map.of());
      assertThat(sent.status()).as("value %s", bad).isEqualTo(422);
      assertThat(sent.error()).contains("at index 7 is not finite or exceeds");
    }
    assertThat(inbox.pending()).isZero();
    // the same checks before a step uses a tensor from any transport
    HostTensor nan = activation(1);
    nan.floats()[0] = Float.NaN;
    assertThat(message(PEER, ROUND, 0, nan).problem(DOMAIN, PEER.address())).isPresent();
    assertThat(message(PEER, ROUND, 0, activation(1)).problem(DOMAIN, PEER.address())).isEmpty();
  }

  @Test
  void shouldRefuseOutOfRoundAndWrongPeerTensors() throws Exception {
    SignedTensor old = message(PEER, ROUND - 1, 0, activation(1));
    Sent past = postTensor(PEER, old, TensorCodec.encode(old.tensor()), Map.of());
    assertThat(past.status()).isEqualTo(409);
    assertThat(past.error()).startsWith("out of round: round 4 is over");

    SignedTensor early = message(PEER, ROUND + 1, 0, activation(1));
    Sent future = postTensor(PEER, early, TensorCodec.encode(early.tensor()), Map.of());
    assertThat(future.status()).isEqualTo(425);
    assertThat(future.error()).isEqualTo("round 6 is not being trained here yet");

    SignedTensor fromStranger = message(STRANGER, ROUND, 0, activation(1));
    Sent stranger =
        postTensor(STRANGER, fromStranger, TensorCodec.encode(fromStranger.tensor()), Map.of());
    assertThat(stranger.status()).isEqualTo(403);
    assertThat(stranger.error()).contains("is not the lane peer at stage 0 in round 5");

    SignedTensor otherLane = SignedTensor.sign(DOMAIN, PEER, RUN, ROUND, 1, 0, 0, 1, activation(1));
    Sent lane = postTensor(PEER, otherLane, TensorCodec.encode(otherLane.tensor()), Map.of());
    assertThat(lane.status()).isEqualTo(403);
    assertThat(lane.error()).isEqualTo("this miner is not in lane 1 in round 5");

    SignedTensor tooFar = message(PEER, ROUND, 99, activation(1));
    Sent step = postTensor(PEER, tooFar, TensorCodec.encode(tooFar.tensor()), Map.of());
    assertThat(step.status()).isEqualTo(400);
    assertThat(step.error()).isEqualTo("step 99 outside 0..3");
    assertThat(inbox.pending()).isZero();

    assertThat(postGood(0).status()).isEqualTo(202);
  }

  // ---- artifacts ----

  @Test
  void shouldServeTheCommitmentLeavesAndDeltaOfACommittedRound() throws Exception {
    Sent c = get(VALIDATOR, "/v1/rounds/4/commitment");
    assertThat(c.status()).isEqualTo(200);
    JsonObject json = new JsonObject(c.body());
    assertThat(json.getString("root")).isEqualTo(tree.root().toHex());
    assertThat(json.getLong("stepCount")).isEqualTo(3);
    assertThat(json.getInteger("stage")).isEqualTo(1);

    Sent leaf = get(VALIDATOR, "/v1/rounds/4/steps/2/leaf");
    assertThat(leaf.status()).isEqualTo(200);
    JsonObject l = new JsonObject(leaf.body());
    assertThat(l.getJsonArray("leaf")).hasSize(14);
    List<Bytes32> proof = new ArrayList<>();
    l.getJsonArray("proof").forEach(p -> proof.add(Bytes32.fromHex((String) p)));
    assertThat(RoundTree.verify(tree.leaf(2), proof, tree.root())).isTrue();

    Sent evidence = get(VALIDATOR, "/v1/rounds/4/steps/2/evidence");
    assertThat(evidence.status()).isEqualTo(200);
    var e = io.protolearn.training.verify.EvidenceCodec.decode(evidence.raw());
    assertThat(e.targetStep()).isEqualTo(2);
    assertThat(e.checkpointStep()).isZero();
    assertThat(e.steps()).hasSize(3);
    assertThat(e.commitment().previousMiner()).isEqualTo(PEER.address());
    assertThat(e.commitment().root()).isEqualTo(tree.root());

    Sent delta = get(STAGE_PEER, "/v1/rounds/4/delta");
    assertThat(delta.status()).isEqualTo(200);
    assertThat(registry.scrape())
        .contains("protolearn_miner_artifacts_served_total{kind=\"commitment\"} 1.0\n")
        .contains("protolearn_miner_artifacts_served_total{kind=\"leaf\"} 1.0\n")
        .contains("protolearn_miner_artifacts_served_total{kind=\"delta\"} 1.0\n");
  }

  @Test
  void shouldRefuseBadArtifactRequests() throws Exception {
    assertThat(get(null, "/v1/rounds/4/commitment").status()).isEqualTo(401);
    Sent stranger = get(STRANGER, "/v1/rounds/4/commitment");
    assertThat(stranger.status()).isEqualTo(403);
    assertThat(stranger.error()).contains("is not a validator or stage peer");
    Sent peerLeaf = get(STAGE_PEER, "/v1/rounds/4/steps/0/leaf");
    assertThat(peerLeaf.status()).isEqualTo(403);
    assertThat(peerLeaf.error()).endsWith("is not a validator of round 4");
    // a validator that joined later gets the round's delta (the aggregation check), not its steps
    assertThat(get(NEWCOMER, "/v1/rounds/4/delta").status()).isEqualTo(200);
    // so does a miner of the stage that joined later: its first base aggregates round 4's deltas
    // (refused, it committed a base without them and was convicted for it)
    assertThat(get(JOINER, "/v1/rounds/4/commitment").status()).isEqualTo(200);
    assertThat(get(JOINER, "/v1/rounds/4/delta").status()).isEqualTo(200);
    assertThat(get(JOINER, "/v1/rounds/4/steps/0/leaf").status()).isEqualTo(403);
    Sent newcomerLeaf = get(NEWCOMER, "/v1/rounds/4/steps/0/leaf");
    assertThat(newcomerLeaf.status()).isEqualTo(403);
    assertThat(newcomerLeaf.error()).endsWith("is not a validator of round 4");
    Sent badRound = get(VALIDATOR, "/v1/rounds/four/commitment");
    assertThat(badRound.status()).isEqualTo(400);
    assertThat(get(VALIDATOR, "/v1/rounds/4/steps/x/leaf").status()).isEqualTo(400);
    Sent noStep = get(VALIDATOR, "/v1/rounds/4/steps/3/leaf");
    assertThat(noStep.status()).isEqualTo(404);
    assertThat(noStep.error()).isEqualTo("no step 3 (the round has 3 steps)");
    Sent notCommitted = get(VALIDATOR, "/v1/rounds/3/commitment");
    assertThat(notCommitted.status()).isEqualTo(404);
    assertThat(notCommitted.error()).isEqualTo("this miner did not commit round 3");
    Sent old = get(VALIDATOR, "/v1/rounds/2/commitment");
    assertThat(old.status()).isEqualTo(410);
    Sent future = get(VALIDATOR, "/v1/rounds/9/commitment");
    assertThat(future.status()).isIn(403, 404);
  }
}
