package io.protolearn.node.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way a node writes a small file that must survive {@code kill -9} and power loss: the
 * bytes go to a hidden temporary file beside the target ({@code .<name>.tmp}), the file is fsync'd,
 * renamed over the target atomically and the folder fsync'd, so after {@link #write} returns the
 * target holds either the new bytes or (had it not returned) the old ones, never a torn mix.
 */
public final class DurableFiles {
  private DurableFiles() {}

  /** Writes (or replaces) {@code target} durably; its folder must exist. */
  public static void write(Path target, byte[] bytes) {
    Path tmp = tempOf(target);
    try {
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
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
