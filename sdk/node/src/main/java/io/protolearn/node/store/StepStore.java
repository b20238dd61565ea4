package io.protolearn.node.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A miner's RocksDB store of what it must serve validators (DESIGN.md §5): checkpoints (state at
 * every c-th step), step artifacts (inputs, upstream gradients, signed messages, by kind) and
 * leaves (ABI-encoded), one column family each, plus the list of sealed rounds.
 *
 * <p>Durability: step writes go to the write-ahead log unsynced (fast; a crash may lose them);
 * {@link #sealRound} writes the round's seal with {@code sync=true}, which also makes every earlier
 * write of the log durable. A round is served only once sealed, so after a crash every sealed round
 * is intact and an unsealed one is redone. {@link #prune} drops rounds older than the retention
 * window. Values are opaque bytes: the training module defines their encoding.
 */
public final class StepStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StepStore.class);

  static {
    RocksDB.loadLibrary();
  }

  /** Kinds of per-step artifact. */
  public enum ArtifactKind {
    INPUT(1),
    UPSTREAM(2),
    INPUT_MESSAGE(3),
    UPSTREAM_MESSAGE(4);

    private final byte code;

    ArtifactKind(int code) {
      this.code = (byte) code;
    }
  }

  private final StoreConfig config;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  private final ColumnFamilyHandle checkpoints;
  private final ColumnFamilyHandle artifacts;
  private final ColumnFamilyHandle leaves;
  private final ColumnFamilyHandle sealed;
  private final WriteOptions unsynced = new WriteOptions();
  private final WriteOptions synced = new WriteOptions().setSync(true);

  private StepStore(
      StoreConfig config,
      DBOptions dbOptions,
      ColumnFamilyOptions cfOptions,
      RocksDB db,
      List<ColumnFamilyHandle> handles) {
    this.config = config;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.db = db;
    this.handles = handles;
    this.checkpoints = handles.get(1);
    this.artifacts = handles.get(2);
    this.leaves = handles.get(3);
    this.sealed = handles.get(4);
  }

  public static StepStore open(Path dir, StoreConfig config) {
    try {
      Files.createDirectories(dir);
      DBOptions dbOptions =
          new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
      ColumnFamilyOptions cf = new ColumnFamilyOptions();
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cf));
      for (String name : List.of("checkpoints", "artifacts", "leaves", "sealed")) {
        descriptors.add(new ColumnFamilyDescriptor(name.getBytes(), cf));
      }
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
      LOG.info("step store opened at {} (retention {} rounds)", dir, config.retentionRounds());
      return new StepStore(config, dbOptions, cf, db, handles);
    } catch (RocksDBException | java.io.IOException e) {
      throw new StoreException("cannot open the step store at " + dir, e);
    }
  }

  public void putCheckpoint(StepKey key, byte[] state) {
    put(checkpoints, key.encode(), state, unsynced);
  }

  public void putArtifact(StepKey key, ArtifactKind kind, byte[] value) {
    put(artifacts, artifactKey(key, kind), value, unsynced);
  }

  public void putLeaf(StepKey key, byte[] abiEncodedLeaf) {
    put(leaves, key.encode(), abiEncodedLeaf, unsynced);
  }

  /**
   * Marks a round of a (stage, lane) complete with its step count, synced: when this returns, the
   * round and everything written before it survive a crash.
   */
  public void sealRound(long runId, long round, int stage, int lane, int stepCount) {
    byte[] value = java.nio.ByteBuffer.allocate(4).putInt(stepCount).array();
    put(sealed, new StepKey(runId, round, stage, lane, 0).encode(), value, synced);
  }

  /** The step count of a sealed round, or empty if it was never sealed. */
  public Optional<Integer> sealedStepCount(long runId, long round, int stage, int lane) {
    return get(sealed, new StepKey(runId, round, stage, lane, 0).encode())
        .map(v -> java.nio.ByteBuffer.wrap(v).getInt());
  }

  public Optional<byte[]> leaf(StepKey key) {
    return get(leaves, key.encode());
  }

  public Optional<byte[]> artifact(StepKey key, ArtifactKind kind) {
    return get(artifacts, artifactKey(key, kind));
  }

  /** The stored checkpoint at the greatest step ≤ key.step() of the same round, stage and lane. */
  public Optional<Map.Entry<Integer, byte[]>> checkpointAtOrBefore(StepKey key) {
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(checkpoints, ro)) {
      it.seekForPrev(key.encode());
      if (!it.isValid()) {
        return Optional.empty();
      }
      StepKey found = StepKey.decode(it.key());
      if (found.runId() != key.runId()
          || found.round() != key.round()
          || found.stage() != key.stage()
          || found.lane() != key.lane()) {
        return Optional.empty();
      }
      return Optional.of(Map.entry(found.step(), it.value()));
    }
  }

  /** All leaves of a round of a (stage, lane), by step. */
  public TreeMap<Integer, byte[]> leaves(long runId, long round, int stage, int lane) {
    TreeMap<Integer, byte[]> out = new TreeMap<>();
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(leaves, ro)) {
      for (it.seek(new StepKey(runId, round, stage, lane, 0).encode()); it.isValid(); it.next()) {
        StepKey k = StepKey.decode(it.key());
        if (k.runId() != runId || k.round() != round || k.stage() != stage || k.lane() != lane) {
          break;
        }
        out.put(k.step(), it.value());
      }
    }
    return out;
  }

  /** Deletes every round of the run older than {@code currentRound - retentionRounds + 1}. */
  public void prune(long runId, long currentRound) {
    long keepFrom = currentRound - config.retentionRounds() + 1;
    if (keepFrom <= 0) {
      return;
    }
    byte[] from = StepKey.roundStart(runId, 0);
    byte[] to = StepKey.roundStart(runId, keepFrom);
    try (WriteBatch batch = new WriteBatch()) {
      for (ColumnFamilyHandle h : List.of(checkpoints, artifacts, leaves, sealed)) {
        batch.deleteRange(h, from, to);
      }
      db.write(synced, batch);
      LOG.info("pruned rounds < {} of run {}", keepFrom, runId);
    } catch (RocksDBException e) {
      throw new StoreException("prune failed", e);
    }
  }

  private static byte[] artifactKey(StepKey key, ArtifactKind kind) {
    byte[] k = key.encode();
    byte[] out = java.util.Arrays.copyOf(k, k.length + 1);
    out[k.length] = kind.code;
    return out;
  }

  private void put(ColumnFamilyHandle cf, byte[] key, byte[] value, WriteOptions options) {
    try {
      db.put(cf, options, key, value);
    } catch (RocksDBException e) {
      throw new StoreException("write failed", e);
    }
  }

  private Optional<byte[]> get(ColumnFamilyHandle cf, byte[] key) {
    try {
      return Optional.ofNullable(db.get(cf, key));
    } catch (RocksDBException e) {
      throw new StoreException("read failed", e);
    }
  }

  @Override
  public void close() {
    unsynced.close();
    synced.close();
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    cfOptions.close();
    dbOptions.close();
  }

  /** An I/O failure of the store (not an expected outcome). */
  public static final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
