package io.protolearn.chain.deploy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.protolearn.chain.files.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /**
   * Writes durably ({@link DurableFiles}), so readers never see half a file; owner-only when it
   * holds a private key (a devnet's), readable as usual when it holds addresses only.
   */
  public void save(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    byte[] json = JSON.writeValueAsBytes(this);
    try {
      if (holdsKeys()) {
        DurableFiles.writeSecret(abs, json);
      } else {
        DurableFiles.write(abs, json);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Whether any account carries its private key. */
  public boolean holdsKeys() {
    return accounts != null && accounts.stream().anyMatch(a -> a.privateKey() != null);
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
