package io.protolearn.node.http;

import java.util.Optional;

/** Whether a node can serve its work now; {@code /health/ready} answers 503 with the reason. */
@FunctionalInterface
public interface Readiness {
  Readiness ALWAYS = () -> Optional.empty();

  /** Empty when ready, else why not ("chain not reachable"). */
  Optional<String> notReadyReason();
}
