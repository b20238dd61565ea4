package io.protolearn.validator.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkerStoreTest {
  @TempDir Path dir;

  @Test
  void shouldKeepAVoteSaltOwnerOnly() throws Exception {
    // a juror's salt, read by another user of the machine before the reveal, tells its vote (and
    // lets a copier commit the same vote): before v2 markers had the default permissions
    MarkerStore markers = new MarkerStore(dir);
    markers.put("vote-salt-3", "0x" + "ab".repeat(32));
    assertThat(markers.get("vote-salt-3")).contains("0x" + "ab".repeat(32));
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("vote-salt-3"))))
        .isEqualTo("rw-------");
  }
}
