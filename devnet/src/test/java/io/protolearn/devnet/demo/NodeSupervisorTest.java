package io.protolearn.devnet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class NodeSupervisorTest {
  @TempDir Path dir;
  private final StringWriter console = new StringWriter();

  private NodeSupervisor supervisor() {
    return new NodeSupervisor(new NodeProcesses(), new PrintWriter(console, true), () -> 42L);
  }

  private Participant node(String name) throws Exception {
    Participant p = new Participant(name, "validator", -1, 1, dir.resolve(name));
    p.port = ParticipantSetup.freePort();
    return p;
  }

  @Test
  void shouldWaitUntilTheNodeAnswersReadyThenRestartItWhenKilled() throws Exception {
    try (NodeSupervisor supervisor = supervisor()) {
      Participant p = node("validator-1");
      supervisor.start(p, ReadyNode.class.getName(), List.of(Integer.toString(p.port)), p.log(dir));
      supervisor.awaitReady(Duration.ofSeconds(60), null);
      assertThat(supervisor.ready(p.port)).isTrue();

      supervisor.kill(p.name);
      assertThat(supervisor.ready(p.port)).isFalse();
      supervisor.supervise();

      assertThat(supervisor.restarts()).hasSize(1);
      assertThat(supervisor.restarts().get(0).name()).isEqualTo("validator-1");
      assertThat(supervisor.restarts().get(0).exitCode()).isEqualTo(137);
      assertThat(console.toString())
          .contains("validator-1 exited with code 137 at block 42; restarted on its data");
      supervisor.awaitReady(Duration.ofSeconds(60), null);
      assertThat(supervisor.ready(p.port)).isTrue();
    }
  }

  @Test
  void shouldEndTheDemoWhenANodeExitsBeforeItIsReady() throws Exception {
    try (NodeSupervisor supervisor = supervisor()) {
      Participant p = node("miner-1");
      supervisor.start(p, ReadyNode.class.getName(), List.of("exit"), p.log(dir));
      assertThatThrownBy(() -> supervisor.awaitReady(Duration.ofSeconds(60), null))
          .hasMessageContaining("miner-1 exited before it was ready");
    }
  }

  @Test
  void shouldStartANodeWhosePortWasTakenAgainOnAnotherPort() throws Exception {
    try (NodeSupervisor supervisor = supervisor();
        java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      Participant p = node("validator-2");
      p.port = taken.getLocalPort();
      supervisor.start(p, ReadyNode.class.getName(), List.of(Integer.toString(p.port)), p.log(dir));
      List<Integer> rebound = new java.util.ArrayList<>();
      supervisor.awaitReady(
          Duration.ofSeconds(90),
          q -> {
            q.port = ParticipantSetup.freePort();
            rebound.add(q.port);
            return List.of(Integer.toString(q.port));
          });
      assertThat(rebound).containsExactly(p.port);
      assertThat(supervisor.ready(p.port)).isTrue();
    }
  }

  @Test
  void shouldGiveUpOnANodeThatKeepsExiting() throws Exception {
    try (NodeSupervisor supervisor = supervisor()) {
      Participant p = node("miner-2");
      supervisor.start(p, ReadyNode.class.getName(), List.of("exit"), p.log(dir));
      assertThatThrownBy(
              () -> {
                for (int i = 0; i <= NodeSupervisor.MAX_RESTARTS; i++) {
                  Thread.sleep(300);
                  while (supervisor.restarts().size() == i) {
                    supervisor.supervise();
                    Thread.sleep(50);
                  }
                }
              })
          .hasMessageContaining("miner-2 exited with code 3 after " + NodeSupervisor.MAX_RESTARTS);
    }
  }

  @Test
  void shouldRestartANodeOnANewPortWhenItsPortWasTakenWhileItWasDown() throws Exception {
    try (NodeSupervisor supervisor = supervisor()) {
      Participant p = node("miner-3");
      supervisor.start(p, ReadyNode.class.getName(), List.of(Integer.toString(p.port)), p.log(dir));
      List<Integer> rebound = new java.util.ArrayList<>();
      supervisor.awaitReady(
          Duration.ofSeconds(60),
          q -> {
            q.port = ParticipantSetup.freePort();
            rebound.add(q.port);
            return List.of(Integer.toString(q.port));
          });
      int first = p.port;
      supervisor.kill(p.name);
      try (java.net.ServerSocket taken = new java.net.ServerSocket(first)) {
        // restarted on the same port: it cannot listen and exits; then on a new one
        while (supervisor.restarts().size() < 2) {
          supervisor.supervise();
          Thread.sleep(100);
        }
        assertThat(rebound).hasSize(1);
        assertThat(p.port).isNotEqualTo(first).isEqualTo(rebound.get(0));
        assertThat(console.toString())
            .contains("miner-3 exited with code 1")
            .contains("a new port");
        supervisor.awaitReady(Duration.ofSeconds(60), null);
        assertThat(supervisor.ready(p.port)).isTrue();
      }
    }
  }
}
