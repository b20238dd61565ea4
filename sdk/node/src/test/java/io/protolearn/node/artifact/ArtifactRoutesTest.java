package io.protolearn.node.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.node.http.Fetched;
import io.protolearn.node.http.HttpConfig;
import io.protolearn.node.http.NodeHttpService;
import io.protolearn.node.http.RequestSignature;
import io.protolearn.node.http.RequestSigner;
import io.protolearn.node.http.SignatureVerifier;
import io.protolearn.node.metrics.Metrics;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import io.protolearn.protocol.crypto.Secp256k1;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.protocol.leaf.RoundTree;
import io.protolearn.protocol.leaf.StepLeaf;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared artifact routes over a test source, read by the shared client: what one side writes
 * the other reads, and every refusal of docs/NODE-API.md comes back as a failure value.
 */
class ArtifactRoutesTest {
  private static final Secp256k1.KeyPair VALIDATOR =
      Secp256k1.fromPrivateKey(BigInteger.valueOf(21));
  private static final Secp256k1.KeyPair PEER = Secp256k1.fromPrivateKey(BigInteger.valueOf(22));
  private static final Secp256k1.KeyPair STRANGER =
      Secp256k1.fromPrivateKey(BigInteger.valueOf(23));
  private static final long CHAIN = 31337;

  /** The miner serving the artifact routes, and a validator re-serving verified updates. */
  private static final Address MINER = Secp256k1.fromPrivateKey(BigInteger.valueOf(24)).address();

  private static final Address VALIDATOR_NODE =
      Secp256k1.fromPrivateKey(BigInteger.valueOf(25)).address();

  private static final long COMMITTED = 4;
  private static final long CURRENT = 6;

  private Vertx vertx;
  private NodeHttpService service;
  private String endpoint;
  private RoundTree tree;
  private volatile boolean servesValidators = true;
  private volatile boolean servesPeers = true;
  private final List<String> served = new CopyOnWriteArrayList<>();
  private final Commitment commitment = new Commitment(Bytes32.ZERO, 3, h("delta"), h("base"));

  static Bytes32 h(String s) {
    return new Bytes32(Keccak.keccak256(s.getBytes(StandardCharsets.UTF_8)));
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    List<StepLeaf> leaves = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      leaves.add(ArtifactApiTest.leaf(i));
    }
    tree = RoundTree.of(leaves);
    Metrics metrics = new Metrics();
    ArtifactRoutes routes =
        new ArtifactRoutes(
            vertx,
            SignatureVerifier.anySigner(
                Clock.systemUTC(),
                SignatureVerifier.Config.DEFAULT,
                new RequestSignature.Audience(CHAIN, MINER),
                metrics),
            new Source(),
            served::add);
    service =
        new NodeHttpService(vertx, HttpConfig.DEFAULT, metrics, Optional::empty, List.of(routes));
    int port = service.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    endpoint = "http://127.0.0.1:" + port;
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private final class Source implements ArtifactSource {
    @Override
    public Access access(long round, Address signer) {
      if (signer.equals(VALIDATOR.address())) {
        return Access.VALIDATOR;
      }
      return signer.equals(PEER.address()) ? Access.PEER : Access.NONE;
    }

    @Override
    public long currentRound() {
      return CURRENT;
    }

    @Override
    public long retentionRounds() {
      return 3;
    }

    @Override
    public boolean servesValidators() {
      return servesValidators;
    }

    @Override
    public boolean servesPeers() {
      return servesPeers;
    }

    @Override
    public Optional<ServedRound> round(long round) {
      return round == COMMITTED
          ? Optional.of(
              new ServedRound(
                  round,
                  new ServedCommitment(
                      new Commitment(tree.root(), 3, commitment.deltaHash(), commitment.baseHash()),
                      0,
                      1),
                  tree))
          : Optional.empty();
    }

    @Override
    public byte[] evidence(ServedRound round, int step) {
      return ("evidence " + round.round() + "/" + step).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] delta(ServedRound round) {
      return "delta".getBytes(StandardCharsets.UTF_8);
    }
  }

  private ArtifactClient client(Secp256k1.KeyPair key) {
    return new ArtifactClient(
        vertx, new RequestSigner(key, CHAIN), Duration.ofSeconds(5), 4096, 4096);
  }

  private static final Function<byte[], String> TEXT = b -> new String(b, StandardCharsets.UTF_8);

  @Test
  void shouldServeEveryArtifactOfACommittedRoundToItsValidator() {
    try (ArtifactClient c = client(VALIDATOR)) {
      Fetched<ServedCommitment> sc = c.commitment(MINER, endpoint, COMMITTED);
      assertThat(sc.value().commitment().root()).isEqualTo(tree.root());
      assertThat(sc.value().stage()).isEqualTo(1);
      Fetched<ProvenLeaf> leaf = c.leaf(MINER, endpoint, COMMITTED, 2);
      assertThat(leaf.value().leaf()).isEqualTo(tree.leaf(2));
      assertThat(leaf.value().includedIn(tree.root())).isTrue();
      assertThat(c.evidence(MINER, endpoint, COMMITTED, 1, TEXT).value()).isEqualTo("evidence 4/1");
      assertThat(served).containsExactly("commitment", "leaf", "evidence");
    }
  }

  @Test
  void shouldCheckTheDeltaAgainstTheCommittedHash() {
    try (ArtifactClient c = client(PEER)) {
      Function<String, Bytes32> hash = ArtifactRoutesTest::h;
      assertThat(c.delta(MINER, endpoint, COMMITTED, TEXT, hash, h("delta")).value())
          .isEqualTo("delta");
      assertThat(c.delta(MINER, endpoint, COMMITTED, TEXT, hash, h("other")).failure())
          .isEqualTo("the served delta does not hash to the committed deltaHash");
    }
  }

  @Test
  void shouldRefuseWhatTheApiRefuses() {
    try (ArtifactClient validator = client(VALIDATOR);
        ArtifactClient peer = client(PEER);
        ArtifactClient stranger = client(STRANGER)) {
      assertThat(stranger.commitment(MINER, endpoint, COMMITTED).failure()).isEqualTo("HTTP 403");
      assertThat(peer.leaf(MINER, endpoint, COMMITTED, 0).failure()).isEqualTo("HTTP 403");
      assertThat(validator.leaf(MINER, endpoint, COMMITTED, 3).failure()).isEqualTo("HTTP 404");
      assertThat(validator.commitment(MINER, endpoint, 5).failure()).isEqualTo("HTTP 404");
      assertThat(validator.commitment(MINER, endpoint, CURRENT + 1).failure())
          .isEqualTo("HTTP 404");
      assertThat(validator.commitment(MINER, endpoint, CURRENT - 3).failure())
          .isEqualTo("HTTP 410");
      servesValidators = false;
      assertThat(validator.evidence(MINER, endpoint, COMMITTED, 0, TEXT).failure())
          .isEqualTo("HTTP 503");
      assertThat(peer.commitment(MINER, endpoint, COMMITTED).ok()).isTrue();
      assertThat(served).containsExactly("commitment");
    }
  }

  @Test
  void shouldWithholdCommitmentAndDeltaFromPeersOnlyWhenAskedTo() {
    try (ArtifactClient validator = client(VALIDATOR);
        ArtifactClient peer = client(PEER)) {
      servesPeers = false; // the peer-withholder adversary
      Function<String, Bytes32> hash = ArtifactRoutesTest::h;
      assertThat(peer.commitment(MINER, endpoint, COMMITTED).failure()).isEqualTo("HTTP 503");
      assertThat(peer.delta(MINER, endpoint, COMMITTED, TEXT, hash, h("delta")).failure())
          .isEqualTo("HTTP 503");
      assertThat(validator.delta(MINER, endpoint, COMMITTED, TEXT, hash, h("delta")).value())
          .isEqualTo("delta");
    }
  }

  @Test
  void shouldReServeAVerifiedUpdateByItsHashAndRefuseAnythingElse() throws Exception {
    // a validator's re-serving route: "honest" verified under its hash; "lying" stored under a
    // hash it does not have, as a validator that serves other bytes would
    java.util.Map<Bytes32, byte[]> held =
        java.util.Map.of(
            h("honest"), "honest".getBytes(StandardCharsets.UTF_8),
            h("lying"), "something else".getBytes(StandardCharsets.UTF_8));
    Metrics metrics = new Metrics();
    List<String> reServed = new CopyOnWriteArrayList<>();
    NodeHttpService validatorHttp =
        new NodeHttpService(
            vertx,
            HttpConfig.DEFAULT,
            metrics,
            Optional::empty,
            List.of(
                new VerifiedDeltaRoutes(
                    vertx,
                    new SignatureVerifier(
                        Clock.systemUTC(),
                        SignatureVerifier.Config.DEFAULT,
                        new RequestSignature.Audience(CHAIN, VALIDATOR_NODE),
                        PEER.address()::equals,
                        "a miner or validator of the run",
                        metrics),
                    hash -> Optional.ofNullable(held.get(hash)),
                    reServed::add)));
    int port =
        validatorHttp.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    String validator = "http://127.0.0.1:" + port;
    Function<String, Bytes32> hash = ArtifactRoutesTest::h;
    try (ArtifactClient peer = client(PEER);
        ArtifactClient stranger = client(STRANGER);
        io.protolearn.node.http.SignedHttpClient raw =
            new io.protolearn.node.http.SignedHttpClient(vertx, new RequestSigner(PEER, CHAIN))) {
      assertThat(peer.verifiedDelta(VALIDATOR_NODE, validator, TEXT, hash, h("honest")).value())
          .isEqualTo("honest");
      assertThat(peer.verifiedDelta(VALIDATOR_NODE, validator, TEXT, hash, h("lying")).failure())
          .isEqualTo("the re-served delta does not hash to the committed deltaHash");
      assertThat(peer.verifiedDelta(VALIDATOR_NODE, validator, TEXT, hash, h("unknown")).failure())
          .isEqualTo("HTTP 404");
      assertThat(
              stranger.verifiedDelta(VALIDATOR_NODE, validator, TEXT, hash, h("honest")).failure())
          .isEqualTo("HTTP 403");
      assertThat(
              raw.get(
                      VALIDATOR_NODE,
                      validator + "/v1/deltas/0x12",
                      new io.protolearn.node.http.SignedHttpClient.Limits(
                          Duration.ofSeconds(5), 4096))
                  .failure())
          .isEqualTo("HTTP 400");
      assertThat(reServed).containsExactly("verified-delta", "verified-delta");
    }
  }
}
