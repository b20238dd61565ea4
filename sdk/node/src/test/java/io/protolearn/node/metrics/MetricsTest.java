package io.protolearn.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class MetricsTest {

  @Test
  void shouldWriteCountersGaugesAndHistogramsInThePrometheusTextFormat() {
    Metrics m = new Metrics();
    Counter steps = m.counter("protolearn_steps_total", "Inner steps trained");
    steps.inc();
    steps.inc(2);
    Gauge round = m.gauge("protolearn_round", "Current round");
    round.set(7);
    Counter bytes = m.counter("protolearn_bytes_total", "Bytes exchanged", "direction");
    bytes.labelValues("out").inc(1024);
    bytes.labelValues("in").inc(0.5);
    m.gauge("protolearn_ratio", "A ratio", () -> 0.25);
    Histogram step = m.histogram("protolearn_step_seconds", "Step time");
    step.observe(0.003);
    step.observe(0.2);
    step.observe(500);

    assertThat(m.scrape())
        .contains(
            """
            # HELP protolearn_steps_total Inner steps trained
            # TYPE protolearn_steps_total counter
            protolearn_steps_total 3.0
            """)
        .contains(
            """
            # TYPE protolearn_round gauge
            protolearn_round 7.0
            """)
        .contains(
            """
            protolearn_bytes_total{direction="in"} 0.5
            protolearn_bytes_total{direction="out"} 1024.0
            """)
        .contains("protolearn_ratio 0.25\n")
        .contains("# TYPE protolearn_step_seconds histogram\n")
        .contains("protolearn_step_seconds_bucket{le=\"0.001\"} 0\n")
        .contains("protolearn_step_seconds_bucket{le=\"0.005\"} 1\n")
        .contains("protolearn_step_seconds_bucket{le=\"0.25\"} 2\n")
        .contains("protolearn_step_seconds_bucket{le=\"120.0\"} 2\n")
        .contains("protolearn_step_seconds_bucket{le=\"+Inf\"} 3\n")
        .contains("protolearn_step_seconds_count 3\n")
        .contains("protolearn_step_seconds_sum 500.203\n");
  }

  @Test
  void shouldEscapeLabelValuesAndHelpText() {
    Metrics m = new Metrics();
    m.counter("x_total", "back\\slash\nnewline", "path").labelValues("a\"b\\c\nd").inc();
    assertThat(m.scrape())
        .contains("# HELP x_total back\\\\slash\\nnewline\n")
        .contains("x_total{path=\"a\\\"b\\\\c\\nd\"} 1.0\n");
  }

  @Test
  void shouldShareASameShapedMetricAndRejectClashesBadLabelsAndCountersGoingDown() {
    Metrics m = new Metrics();
    Counter a = m.counter("a_total", "a");
    assertThat(m.counter("a_total", "a")).as("same shape: shared").isSameAs(a);
    assertThatThrownBy(() -> m.gauge("a_total", "again")).hasMessageContaining("already");
    assertThatThrownBy(() -> m.counter("a_total", "again", "k")).hasMessageContaining("already");
    assertThatThrownBy(() -> m.counter("b_total", "x", "__reserved"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> m.counter("c_total", "c").inc(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> m.counter("d_total", "d", "k").labelValues())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldServeOnALocalPortOnlyWithJvmMetrics() throws Exception {
    Metrics m = Metrics.withJvmMetrics();
    m.counter("protolearn_steps_total", "steps").inc(5);
    assertThat(MetricsServer.start(m, MetricsServer.OFF)).isEmpty();
    assertThatThrownBy(() -> MetricsServer.start(m, 70000)).hasMessageContaining("--metrics-port");
    try (MetricsServer server = MetricsServer.start(m, 0).orElseThrow()) {
      assertThat(server.port()).isPositive();
      assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port() + "/metrics");
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(server.url())).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
      assertThat(r.body())
          .contains("protolearn_steps_total 5.0\n")
          .contains("# TYPE jvm_memory_used_bytes gauge\n");
    }
  }

  @Command(name = "run")
  static final class Run {
    @Mixin MetricsOptions metrics;
  }

  @Test
  void shouldServeOnAPortOfItsOwnByDefaultAndNoneAtMinusOne() {
    Run run = new Run();
    new CommandLine(run).parseArgs();
    assertThat(run.metrics.port).as("default: pick a free port").isZero();
    new CommandLine(run).parseArgs("--metrics-port", "-1");
    assertThat(run.metrics.serve(new Metrics())).isEmpty();
  }
}
