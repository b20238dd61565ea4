package io.protolearn.chain.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The one way the project writes a small file that must survive {@code kill -9} and power loss: the
 * bytes go to a hidden temporary file beside the target ({@code .<name>.tmp}), the file is fsync'd,
 * renamed over the target atomically and the folder fsync'd, so after {@link #write} returns the
 * target holds either the new bytes or (had it not returned) the old ones, never a torn mix. A
 * secret ({@link #writeSecret}: keystores, vote salts, password files, a deployment holding keys)
 * is owner-only ({@code rw-------}) from the moment its temporary file exists (DESIGN §13 v2).
 */
public final class DurableFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private DurableFiles() {}

  /** Writes (or replaces) {@code target} durably; its folder must exist. */
  public static void write(Path target, byte[] bytes) {
    write(target, bytes, false);
  }

  /**
   * Writes (or replaces) {@code target} durably, readable and writable by its owner only (on a file
   * system without POSIX permissions, as {@link #write}); its folder must exist.
   */
  public static void writeSecret(Path target, byte[] bytes) {
    write(target, bytes, true);
  }

  private static void write(Path target, byte[] bytes, boolean secret) {
    Path tmp = tempOf(target);
    try {
      Set<OpenOption> options =
          Set.of(
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
      FileAttribute<?>[] attributes = new FileAttribute<?>[0];
      if (secret && posix(target)) {
        // a stale temporary file keeps its permissions when reopened: start from none
        Files.deleteIfExists(tmp);
        attributes = new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)};
      }
      try (FileChannel ch = FileChannel.open(tmp, options, attributes)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      syncFolder(target.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  private static boolean posix(Path target) {
    return target.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /**
   * The temporary file {@link #write} uses for {@code target} (hidden: its name starts with ".").
   */
  public static Path tempOf(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp");
  }

  private static void syncFolder(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // some file systems cannot open a folder for sync; the file itself is synced
    }
  }
}
