package io.protolearn.testing.chain;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.deploy.RunConfig;
import io.protolearn.chain.local.AnvilNode;
import io.protolearn.chain.local.LocalChain;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.web3j.crypto.Credentials;

/**
 * A local chain (anvil, the protocol deployed, one run) for a test class or a test method. Anvil
 * binds a port of its own choosing and reports it ({@link AnvilNode}), so tests never race for a
 * port. Registered on a static field it lives for the class; on an instance field, for each test:
 *
 * <pre>{@code
 * @RegisterExtension static final LocalChainExtension CHAIN = LocalChainExtension.withRun(config);
 * }</pre>
 *
 * <p>Clients made by {@link #client(int)} close with the chain.
 */
public final class LocalChainExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final AnvilNode.Options options;
  private final RunConfig config;
  private final List<ProtocolClient> clients = new ArrayList<>();
  private LocalChain chain;
  private boolean perClass;

  private LocalChainExtension(AnvilNode.Options options, RunConfig config) {
    this.options = options;
    this.config = config;
  }

  /** A chain with anvil's test options (20 funded accounts, a block per transaction). */
  public static LocalChainExtension withRun(RunConfig config) {
    return new LocalChainExtension(AnvilNode.Options.forTests(), config);
  }

  public static LocalChainExtension withRun(AnvilNode.Options options, RunConfig config) {
    return new LocalChainExtension(options, config);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    perClass = true;
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    if (!perClass) {
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      stop();
    }
  }

  private void start() throws IOException {
    chain = LocalChain.start(options, config);
  }

  private void stop() {
    clients.forEach(ProtocolClient::close);
    clients.clear();
    if (chain != null) {
      chain.close();
      chain = null;
    }
  }

  /** The running chain; only inside a test or its lifecycle methods. */
  public LocalChain chain() {
    if (chain == null) {
      throw new IllegalStateException("the local chain runs only while a test does");
    }
    return chain;
  }

  /** The JSON-RPC address anvil reported (its own port). */
  public String rpcUrl() {
    return chain().node().rpcUrl();
  }

  public Credentials account(int i) {
    return chain().account(i);
  }

  /** A client of development account {@code i}, polling receipts every 20 ms. */
  public ProtocolClient client(int account) {
    ProtocolClient c =
        ProtocolClient.connect(chain().deployment(), account(account), Duration.ofMillis(20));
    clients.add(c);
    return c;
  }
}
