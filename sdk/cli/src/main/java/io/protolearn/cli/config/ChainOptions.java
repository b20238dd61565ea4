package io.protolearn.cli.config;

import io.protolearn.chain.deploy.Deployment;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which chain and run: the deployment file, and optionally another RPC URL for it. */
public final class ChainOptions {
  public static final String DEFAULT_DEPLOYMENT = ".devnet/deployment.json";

  @Option(
      names = "--deployment",
      paramLabel = "FILE",
      defaultValue = DEFAULT_DEPLOYMENT,
      description =
          "Deployment file naming the chain, contracts and run (default: ${DEFAULT-VALUE}).")
  Path deployment;

  @Option(
      names = "--rpc-url",
      paramLabel = "URL",
      description = "Chain JSON-RPC URL (http or https); overrides the deployment file's.")
  String rpcUrl;

  public Path deploymentFile() {
    return deployment;
  }

  /** The deployment, with {@code --rpc-url} applied. */
  public Deployment deployment() {
    Deployment d;
    try {
      d = Deployment.load(deployment);
    } catch (IOException e) {
      throw new ConfigException(
          e.getMessage()
              + (deployment.toString().equals(DEFAULT_DEPLOYMENT)
                  ? " (start a devnet with `bin/devnet up`, or pass --deployment FILE)"
                  : ""));
    }
    String url = rpcUrl != null ? rpcUrl : d.rpcUrl();
    checkUrl(url, rpcUrl != null ? "--rpc-url" : "the deployment file's rpcUrl");
    return url.equals(d.rpcUrl()) ? d : d.withRpcUrl(url);
  }

  private static void checkUrl(String url, String what) {
    try {
      URI uri = new URI(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new ConfigException(what + " must be an http(s) URL, got '" + url + "'");
      }
    } catch (URISyntaxException e) {
      throw new ConfigException(what + " is not a URL: '" + url + "'");
    }
  }
}
