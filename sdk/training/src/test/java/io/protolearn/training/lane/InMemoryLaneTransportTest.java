package io.protolearn.training.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.training.Fixtures;
import io.protolearn.training.tensor.HostTensor;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryLaneTransportTest {
  private final HostTensor tensor = HostTensor.of(new float[] {1, 2, 3, 4}, 2, 2);

  @Test
  void shouldDeliverASignedTensorThatVerifiesAgainstTheLanePeer() {
    InMemoryLaneTransport transport = new InMemoryLaneTransport();
    SignedTensor sent =
        SignedTensor.sign(Fixtures.DOMAIN, Fixtures.key(0), 7, 3, 1, 5, 0, 1, tensor);
    transport.send(sent, Fixtures.key(1).address());
    assertThat(transport.pending()).isEqualTo(1);
    SignedTensor got =
        transport.await(LaneTransport.MessageKey.of(sent), Fixtures.key(0).address());
    assertThat(got.problem(Fixtures.DOMAIN, Fixtures.key(0).address())).isEmpty();
    assertThat(transport.pending()).isZero();
  }

  @Test
  void shouldFailTheLaneWhenAPeersMessageDoesNotCome() {
    InMemoryLaneTransport transport = new InMemoryLaneTransport(Duration.ofMillis(50));
    LaneTransport.MessageKey key = new LaneTransport.MessageKey(7, 3, 1, 5, 0, 1);
    assertThatThrownBy(() -> transport.await(key, Fixtures.key(0).address()))
        .isInstanceOf(LaneFailure.class)
        .hasMessageContaining("sent nothing for " + key);
  }

  @Test
  void shouldRefuseATensorSignedBySomeoneOtherThanThePeer() {
    SignedTensor sent =
        SignedTensor.sign(Fixtures.DOMAIN, Fixtures.key(9), 7, 3, 1, 5, 0, 1, tensor);
    assertThat(sent.problem(Fixtures.DOMAIN, Fixtures.key(0).address()))
        .hasValueSatisfying(p -> assertThat(p).contains("not by lane peer"));
  }

  @Test
  void shouldRefuseATensorThatDoesNotMatchItsSignedHash() {
    SignedTensor sent =
        SignedTensor.sign(Fixtures.DOMAIN, Fixtures.key(0), 7, 3, 1, 5, 0, 1, tensor);
    SignedTensor swapped =
        new SignedTensor(sent.header(), sent.signature(), tensor.withChangedValue(0));
    assertThat(swapped.problem(Fixtures.DOMAIN, Fixtures.key(0).address()))
        .hasValueSatisfying(p -> assertThat(p).contains("signed hash"));
  }

  @Test
  void shouldStopTheLaneWhenAPeersMessageIsForged() {
    InMemoryLaneTransport inner = new InMemoryLaneTransport();
    LaneTransport forging =
        new LaneTransport() {
          @Override
          public SignedTensor await(MessageKey key, Address from) {
            return inner.await(key, from);
          }

          @Override
          public void send(SignedTensor m, Address to) {
            var h = m.header();
            inner.send(
                SignedTensor.sign(
                    Fixtures.DOMAIN,
                    Fixtures.key(77),
                    h.runId(),
                    h.round(),
                    h.lane(),
                    h.step(),
                    h.fromStage(),
                    h.toStage(),
                    m.tensor()),
                to);
          }
        };
    try (RoundRunner runner =
        new RoundRunner(
            Fixtures.TINY,
            Fixtures.TRAIN,
            Fixtures.CORPUS,
            Fixtures.RUN_ID,
            Fixtures.DOMAIN,
            Fixtures.lanes(1, 2),
            forging,
            StepSink.NONE)) {
      assertThatThrownBy(() -> runner.runRound(0, Set.of()))
          .isInstanceOf(LaneFailure.class)
          .hasMessageContaining("not by lane peer");
    }
  }
}
