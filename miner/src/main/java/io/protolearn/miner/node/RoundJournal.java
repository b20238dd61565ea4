package io.protolearn.miner.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.protolearn.chain.files.DurableFiles;
import io.protolearn.chain.tx.TxSender;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.training.lane.OuterStep.OuterState;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The node's crash-safe record of its rounds, as small files written durably ({@link DurableFiles}:
 * temp file, fsync, atomic rename, fsync of the folder) under {@code <data-dir>/rounds}:
 *
 * <ul>
 *   <li>{@code <r>.started} — training of round r began (a restart never trains it again);
 *   <li>{@code <r>.delta} then {@code <r>.trained.json} — the round's delta and its commitment
 *       values, written after the step store sealed the round (synced);
 *   <li>{@code <r>.commit-tx.json} — the signed commit transaction, written before it is sent:
 *       after a crash between send and mine the node sends these same bytes again (same nonce, so
 *       the chain includes it at most once) instead of signing a second commit;
 *   <li>{@code <r>.committed} — the commit transaction was mined (the chain's {@code commitmentOf}
 *       is checked as well before any commit is sent);
 *   <li>{@code <r>.base} — this stage's aggregated state at the start of round r (params and outer
 *       momentum).
 * </ul>
 */
public final class RoundJournal {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a trained round commits, and where this miner trained it. */
  record Trained(
      long round,
      int lane,
      int stage,
      List<String> members,
      String root,
      long stepCount,
      String deltaHash,
      String baseHash,
      double meanLoss) {

    Commitment commitment() {
      return new Commitment(
          Bytes32.fromHex(root), stepCount, Bytes32.fromHex(deltaHash), Bytes32.fromHex(baseHash));
    }

    List<Address> memberAddresses() {
      return members.stream().map(Address::fromHex).toList();
    }
  }

  private final Path dir;

  public RoundJournal(Path dataDir) {
    this.dir = dataDir.resolve("rounds");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean started(long round) {
    return Files.exists(dir.resolve(round + ".started"));
  }

  void markStarted(long round) {
    write(dir.resolve(round + ".started"), new byte[0]);
  }

  void markTrained(Trained t, List<HostTensor> delta) {
    write(dir.resolve(t.round() + ".delta"), TensorCodec.encodeList(delta));
    try {
      write(dir.resolve(t.round() + ".trained.json"), JSON.writeValueAsBytes(t));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Optional<Trained> trained(long round) {
    Path p = dir.resolve(round + ".trained.json");
    if (!Files.exists(p)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(Files.readAllBytes(p), Trained.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Optional<byte[]> deltaBytes(long round) {
    Path p = dir.resolve(round + ".delta");
    try {
      return Files.exists(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void markCommitSigned(long round, TxSender.SignedTx signed) {
    try {
      write(dir.resolve(round + ".commit-tx.json"), JSON.writeValueAsBytes(signed));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Optional<TxSender.SignedTx> commitSigned(long round) {
    Path p = dir.resolve(round + ".commit-tx.json");
    if (!Files.exists(p)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(Files.readAllBytes(p), TxSender.SignedTx.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean committed(long round) {
    return Files.exists(dir.resolve(round + ".committed"));
  }

  void markCommitted(long round, String txHash) {
    write(
        dir.resolve(round + ".committed"),
        txHash.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  void putBase(long round, OuterState state) {
    write(dir.resolve(round + ".base"), state.encode());
  }

  public Optional<OuterState> base(long round) {
    Path p = dir.resolve(round + ".base");
    if (!Files.exists(p)) {
      return Optional.empty();
    }
    try {
      return Optional.of(OuterState.decode(Files.readAllBytes(p)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The newest round at or before {@code round} with a stored base. */
  Optional<Long> latestBaseAtOrBefore(long round) {
    for (long r = round; r >= 0; r--) {
      if (Files.exists(dir.resolve(r + ".base"))) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  private static void write(Path target, byte[] bytes) {
    DurableFiles.write(target, bytes);
  }
}
