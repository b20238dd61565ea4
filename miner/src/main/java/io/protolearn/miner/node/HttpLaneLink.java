package io.protolearn.miner.node;

import io.protolearn.node.http.SignedHttpClient;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.training.lane.LaneFailure;
import io.protolearn.training.lane.LaneInbox;
import io.protolearn.training.lane.LaneTransport;
import io.protolearn.training.lane.LaneTransport.MessageKey;
import io.protolearn.training.lane.SignedTensor;
import io.protolearn.training.tensor.TensorCodec;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;

/**
 * The network {@link LaneTransport}: sends by POSTing to the peer's endpoint (retrying while the
 * peer is not up or not yet in the round: connection errors, 425, 503), receives from the {@link
 * LaneInbox} the node's HTTP route fills. A peer that does not answer within {@code peerTimeout},
 * or a round whose commit deadline is near ({@code mustStop}), ends the lane's work with a {@link
 * LaneFailure}: the steps done so far are committed.
 */
final class HttpLaneLink implements LaneTransport {
  private static final Duration SLICE = Duration.ofMillis(200);

  private final PeerClient client;
  private final LaneInbox inbox;
  private final RoundPlan plan;
  private final Duration peerTimeout;
  private final BooleanSupplier mustStop;
  private final MinerMetrics metrics;

  HttpLaneLink(
      PeerClient client,
      LaneInbox inbox,
      RoundPlan plan,
      Duration peerTimeout,
      BooleanSupplier mustStop,
      MinerMetrics metrics) {
    this.client = client;
    this.inbox = inbox;
    this.plan = plan;
    this.peerTimeout = peerTimeout;
    this.mustStop = mustStop;
    this.metrics = metrics;
  }

  @Override
  public void send(SignedTensor message, Address to) {
    String endpoint = plan.endpointOf(to);
    byte[] body = TensorCodec.encode(message.tensor());
    long end = System.nanoTime() + peerTimeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < end && !mustStop.getAsBoolean()) {
      try {
        SignedHttpClient.Response r = client.postTensor(to, endpoint, message, body, peerTimeout);
        int code = r.statusCode();
        if (code == 202) {
          metrics.bytesSent(body.length);
          return;
        }
        last = code + " " + r.bodyAsString();
        if (code != 425 && code != 503) {
          throw new LaneFailure("peer " + to + " refused " + MessageKey.of(message) + ": " + last);
        }
      } catch (ExecutionException e) {
        last = String.valueOf(e.getCause() == null ? e : e.getCause().getMessage());
      }
      sleep(SLICE);
    }
    throw new LaneFailure(
        "peer " + to + " at " + endpoint + " did not take " + MessageKey.of(message) + ": " + last);
  }

  @Override
  public SignedTensor await(MessageKey key, Address from) {
    long end = System.nanoTime() + peerTimeout.toNanos();
    try {
      while (System.nanoTime() < end && !mustStop.getAsBoolean()) {
        Optional<SignedTensor> m = inbox.await(key, SLICE);
        if (m.isPresent()) {
          return m.get();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LaneFailure("interrupted");
    }
    throw new LaneFailure(
        mustStop.getAsBoolean()
            ? "the commit deadline is near; stopped waiting for " + key
            : "lane peer "
                + from
                + " sent nothing for "
                + key
                + " in "
                + peerTimeout.toSeconds()
                + " s");
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LaneFailure("interrupted");
    }
  }
}
