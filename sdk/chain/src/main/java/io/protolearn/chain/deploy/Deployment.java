package io.protolearn.chain.deploy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Where a protocol deployment lives: the chain, the contract addresses, the run, and (on a devnet
 * only) funded test accounts. Written by the devnet deployer, read by every node and holder.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Deployment(
    long chainId,
    String rpcUrl,
    long deployBlock,
    Contracts contracts,
    long runId,
    List<Account> accounts) {

  /** Addresses of the deployed contracts. */
  public record Contracts(
      String stakeManager,
      String runManager,
      String disputeManager,
      String shares,
      String governor,
      String timelock) {}

  /** A funded development account; {@code privateKey} is present only on a devnet. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Account(String name, String address, String privateKey) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static Deployment load(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException("no deployment file at " + file);
    }
    try {
      Deployment d = JSON.readValue(file.toFile(), Deployment.class);
      if (d.contracts() == null || d.contracts().runManager() == null) {
        throw new IOException("deployment file " + file + " names no RunManager");
      }
      return d;
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException(
          "deployment file " + file + " is not valid: " + e.getOriginalMessage(), e);
    }
  }

  /** Writes atomically (temp file + rename), so readers never see half a file. */
  public void save(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), this);
    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public Deployment withRpcUrl(String url) {
    return new Deployment(chainId, url, deployBlock, contracts, runId, accounts);
  }

  public Account account(String name) {
    return accounts.stream()
        .filter(a -> a.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no account named " + name));
  }
}
