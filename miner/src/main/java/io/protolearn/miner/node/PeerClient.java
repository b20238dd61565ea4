package io.protolearn.miner.node;

import io.protolearn.node.artifact.ArtifactApi;
import io.protolearn.node.http.Fetched;
import io.protolearn.node.http.SignedHttpClient;
import io.protolearn.node.http.SignedHttpClient.Limits;
import io.protolearn.node.http.SignedHttpClient.Response;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.training.lane.SignedTensor;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Lane tensors from this miner to its lane peers (docs/NODE-API.md), sent through the node's {@link
 * SignedHttpClient}. Calls block the calling (worker) thread, never an event loop.
 */
final class PeerClient {
  /** The largest answer a lane peer may give (a status and a one-line JSON error). */
  static final long MAX_REPLY_BYTES = 64 * 1024;

  private final SignedHttpClient http;

  PeerClient(SignedHttpClient http) {
    this.http = http;
  }

  /**
   * POSTs a tensor to a lane peer's {@code /v1/lane/tensor}; the response status and body.
   *
   * @throws ExecutionException when no answer came back within {@code timeout} (its cause says why)
   */
  Response postTensor(Address peer, String endpoint, SignedTensor m, byte[] body, Duration timeout)
      throws ExecutionException {
    Fetched<Response> r =
        http.call(
            peer,
            HttpMethod.POST,
            endpoint + ArtifactApi.LANE_TENSOR,
            body,
            Map.of(
                ArtifactApi.TENSOR_HEADER,
                ArtifactApi.encodeTensorHeader(m.header(), m.signature()),
                "Content-Type",
                "application/octet-stream"),
            new Limits(timeout, MAX_REPLY_BYTES));
    if (!r.ok()) {
      throw new ExecutionException(new IOException(r.failure()));
    }
    return r.value();
  }
}
