package io.protolearn.chain.local;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the repository root: the {@code protolearn.root} property, else the nearest parent of the
 * working directory that holds {@code contracts/hardhat.config.js}.
 */
public final class ProjectPaths {
  private ProjectPaths() {}

  public static Path root() {
    String prop = System.getProperty("protolearn.root");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("contracts/hardhat.config.js"))) {
        return p;
      }
    }
    return dir;
  }

  /** The Hardhat artifact JSON of a contract, e.g. {@code artifact("core", "RunManager")}. */
  public static Path artifact(String folder, String contract) {
    return root()
        .resolve(
            "contracts/artifacts/src/" + folder + "/" + contract + ".sol/" + contract + ".json");
  }
}
