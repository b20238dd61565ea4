package io.protolearn.devnet.demo;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.files.DurableFiles;
import io.protolearn.chain.local.LocalChain;
import io.protolearn.miner.MinerCommand;
import io.protolearn.validator.ValidatorCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * The demo's participants: S×R honest miners, the adversaries' extra miners, V validators and the
 * lazy one; each stakes and joins through the SDK with its own chain account, gets a keystore
 * through its node's CLI ({@code init --import-key}) and a command line to run its node with.
 */
public final class ParticipantSetup {
  public static final BigInteger ETHER = BigInteger.TEN.pow(18);
  public static final BigInteger STAKE = ETHER.multiply(BigInteger.TWO);

  private final DemoOptions options;
  private final LocalChain chain;
  private final Path nodes;
  private final Path password;

  public ParticipantSetup(DemoOptions options, LocalChain chain, Path nodes, Path password) {
    this.options = options;
    this.chain = chain;
    this.nodes = nodes;
    this.password = password;
  }

  /** Chain accounts the demo needs: the deployer, then one per participant. */
  public static int accounts(DemoOptions options, AdversaryPlan plan) {
    int miners = options.stages * options.replicas + plan.miners().size();
    int validators = options.validators + plan.validators().size();
    return Math.max(20, 1 + miners + validators);
  }

  /** Stakes, joins and creates the keystore of every participant, miners first. */
  public List<Participant> enroll(AdversaryPlan plan) throws IOException {
    List<Participant> people = new ArrayList<>();
    int honestMiners = options.stages * options.replicas;
    int miners = honestMiners + plan.miners().size();
    int allValidators = options.validators + plan.validators().size();
    for (int i = 1; i <= miners; i++) {
      AdversaryPlan.Miner extra = i > honestMiners ? plan.miners().get(i - honestMiners - 1) : null;
      int stage = extra == null ? (i - 1) % options.stages : extra.stage();
      Participant p = new Participant("miner-" + i, "miner", stage, i, nodes.resolve("miner-" + i));
      if (extra != null) {
        p.kind = extra.kind();
        p.nodeFlag = extra.nodeFlag();
      }
      p.port = freePort();
      try (ProtocolClient c = client(i)) {
        c.staking().stake(STAKE);
        c.runs().joinAsMiner(stage, endpoint(p.port));
        p.address = c.address();
      }
      initKeystore(true, p);
      people.add(p);
    }
    for (int j = 1; j <= allValidators; j++) {
      int account = miners + j;
      Participant p =
          new Participant(
              "validator-" + j, "validator", -1, account, nodes.resolve("validator-" + j));
      if (j > options.validators) {
        AdversaryPlan.Validator extra = plan.validators().get(j - options.validators - 1);
        p.kind = extra.kind();
        p.nodeFlag = extra.nodeFlag();
      }
      p.port = freePort();
      try (ProtocolClient c = client(account)) {
        c.staking().stake(STAKE);
        c.runs().registerValidator(endpoint(p.port));
        p.address = c.address();
      }
      initKeystore(false, p);
      people.add(p);
    }
    return people;
  }

  /**
   * The arguments of {@code miner run} or {@code validator run} for a participant: its data,
   * keystore password, polling, adversary flag, and the port it binds and serves {@code
   * /health/ready} on.
   */
  public List<String> runArgs(Participant p, Path deploymentFile, Path specsDir) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--deployment",
                deploymentFile.toString(),
                "--data-dir",
                p.dataDir.toString(),
                "--password-file",
                password.toString(),
                "--poll-ms",
                Integer.toString(options.pollMillis())));
    if (p.nodeFlag != null) {
      args.addAll(List.of("--adversary", p.nodeFlag));
    }
    if (p.miner()) {
      args.addAll(List.of("--peer-timeout", "8", "--port", Integer.toString(p.port)));
    } else {
      args.addAll(
          List.of(
              "--specs",
              specsDir.toString(),
              "--block-time-ms",
              Integer.toString(options.blockMillis)));
      // the validator listens on its registered endpoint's port (re-served verified updates,
      // health), which the supervisor polls for readiness
    }
    return args;
  }

  /**
   * Another port for a node that could not start on its own (taken since it was picked): the new
   * endpoint is registered before the node is started on it, and before the chain's rounds run.
   */
  public List<String> rebind(Participant p, Path deploymentFile, Path specsDir) throws IOException {
    p.port = freePort();
    try (ProtocolClient c = client(p.account)) {
      c.runs().setEndpoint(endpoint(p.port));
    }
    return runArgs(p, deploymentFile, specsDir);
  }

  /** A client signing with a participant's (or the deployer's, 0) chain account. */
  public ProtocolClient client(int account) {
    return ProtocolClient.connect(
        chain.deployment(), chain.account(account), Duration.ofMillis(20));
  }

  static String endpoint(int port) {
    return "http://127.0.0.1:" + port;
  }

  private void initKeystore(boolean miner, Participant p) throws IOException {
    initKeystore(miner, chain.account(p.account), p.dataDir, password, nodes.getParent(), p.name);
  }

  /**
   * A node's keystore for a chain account, made by its own CLI ({@code init --import-key}, light
   * KDF); the key file lies in {@code scratch} only while the CLI reads it.
   */
  public static void initKeystore(
      boolean miner, Credentials account, Path dataDir, Path password, Path scratch, String name)
      throws IOException {
    Path key = scratch.resolve("key-" + name);
    DurableFiles.writeSecret(
        key,
        Numeric.toHexStringWithPrefixZeroPadded(account.getEcKeyPair().getPrivateKey(), 64)
            .getBytes(StandardCharsets.UTF_8));
    StringWriter err = new StringWriter();
    String[] args = {
      "init",
      "--import-key",
      key.toString(),
      "--light-kdf",
      "--data-dir",
      dataDir.toString(),
      "--password-file",
      password.toString()
    };
    PrintWriter quiet = new PrintWriter(new StringWriter(), true);
    int code =
        miner
            ? MinerCommand.execute(Map.of(), quiet, new PrintWriter(err, true), args)
            : ValidatorCommand.execute(Map.of(), quiet, new PrintWriter(err, true), args);
    Files.delete(key);
    if (code != 0) {
      throw new IllegalStateException("init of " + name + " failed: " + err.toString().trim());
    }
  }

  private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

  /**
   * A port free now, for a node to bind; the node is only used once it answers on it. Never one
   * handed out before in this process: the kernel may offer a just-closed port again, and two nodes
   * given one port would have the second fail to bind while the supervisor's readiness probe is
   * answered by the first.
   */
  static synchronized int freePort() throws IOException {
    while (true) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (HANDED_OUT.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      }
    }
  }
}
