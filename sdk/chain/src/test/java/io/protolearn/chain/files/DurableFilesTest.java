package io.protolearn.chain.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {
  @TempDir Path dir;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private String[] names() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  @Test
  void shouldWriteTheBytesAndLeaveNoTemporaryFileBehind() throws Exception {
    Path target = dir.resolve("7.committed");
    DurableFiles.write(target, utf8("0xabc"));
    assertThat(Files.readString(target)).isEqualTo("0xabc");
    assertThat(names()).containsExactly("7.committed");
  }

  @Test
  void shouldReplaceAnExistingFileWhole() throws Exception {
    Path target = dir.resolve("marker");
    DurableFiles.write(target, utf8("a much longer first value"));
    DurableFiles.write(target, utf8("short"));
    assertThat(Files.readString(target)).isEqualTo("short");
    assertThat(names()).containsExactly("marker");
  }

  @Test
  void shouldWriteAnEmptyFileAndOverwriteAStaleTemporaryOne() throws Exception {
    Path target = dir.resolve("3.started");
    Files.write(DurableFiles.tempOf(target), utf8("left by a crash"));
    DurableFiles.write(target, new byte[0]);
    assertThat(Files.size(target)).isZero();
    assertThat(names()).containsExactly("3.started");
  }

  private static String permissions(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void shouldWriteASecretOwnerOnlyEvenOverAReadableFileOrStaleTemporaryFile() throws Exception {
    Path target = dir.resolve("vote-salt-7");
    Files.writeString(target, "old");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    Path stale = DurableFiles.tempOf(target);
    Files.writeString(stale, "left by a crash");
    Files.setPosixFilePermissions(stale, PosixFilePermissions.fromString("rw-rw-rw-"));
    DurableFiles.writeSecret(target, utf8("0xsalt"));
    assertThat(Files.readString(target)).isEqualTo("0xsalt");
    assertThat(permissions(target)).isEqualTo("rw-------");
    assertThat(names()).containsExactly("vote-salt-7");
  }

  @Test
  void shouldFailLoudlyWhenTheFolderIsMissing() {
    Path target = dir.resolve("missing").resolve("x");
    assertThatThrownBy(() -> DurableFiles.write(target, utf8("x")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot write");
    assertThat(Files.exists(target)).isFalse();
  }
}
