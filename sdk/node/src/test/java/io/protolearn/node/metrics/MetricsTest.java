package io.protolearn.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void shouldWriteThePrometheusTextFormat() {
    Metrics m = new Metrics();
    Counter steps = m.counter("protolearn_steps_total", "Inner steps trained");
    steps.inc();
    steps.inc(2);
    Gauge round = m.gauge("protolearn_round", "Current round");
    round.set(7);
    MetricFamily<Counter> bytes =
        m.counterFamily("protolearn_bytes_total", "Bytes exchanged", "direction");
    bytes.labels("out").inc(1024);
    bytes.labels("in").inc(0.5);
    m.gauge("protolearn_ratio", "A ratio", () -> 0.25);

    assertThat(m.scrape())
        .isEqualTo(
            """
            # HELP protolearn_steps_total Inner steps trained
            # TYPE protolearn_steps_total counter
            protolearn_steps_total 3
            # HELP protolearn_round Current round
            # TYPE protolearn_round gauge
            protolearn_round 7
            # HELP protolearn_bytes_total Bytes exchanged
            # TYPE protolearn_bytes_total counter
            protolearn_bytes_total{direction="in"} 0.5
            protolearn_bytes_total{direction="out"} 1024
            # HELP protolearn_ratio A ratio
            # TYPE protolearn_ratio gauge
            protolearn_ratio 0.25
            """);
  }

  @Test
  void shouldEscapeLabelValuesAndHelpText() {
    Metrics m = new Metrics();
    m.counterFamily("x_total", "back\\slash\nnewline", "path").labels("a\"b\\c\nd").inc();
    assertThat(m.scrape())
        .contains("# HELP x_total back\\\\slash\\nnewline\n")
        .contains("x_total{path=\"a\\\"b\\\\c\\nd\"} 1\n");
  }

  @Test
  void shouldWriteSpecialValues() {
    assertThat(Metrics.formatValue(Double.NaN)).isEqualTo("NaN");
    assertThat(Metrics.formatValue(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(Metrics.formatValue(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    assertThat(Metrics.formatValue(-3)).isEqualTo("-3");
    assertThat(Metrics.formatValue(1e20)).isEqualTo("1.0E20");
  }

  @Test
  void shouldRejectBadNamesDuplicatesAndCountersGoingDown() {
    Metrics m = new Metrics();
    Counter a = m.counter("a_total", "a");
    assertThat(m.counter("a_total", "a")).as("same shape: shared").isSameAs(a);
    assertThatThrownBy(() -> m.gauge("a_total", "again")).hasMessageContaining("already");
    assertThatThrownBy(() -> m.counterFamily("a_total", "again", "k"))
        .hasMessageContaining("already");
    assertThatThrownBy(() -> m.counter("1bad", "x")).hasMessageContaining("not a valid metric");
    assertThatThrownBy(() -> m.counterFamily("b_total", "x", "__reserved"))
        .hasMessageContaining("label name");
    assertThatThrownBy(() -> m.counter("c_total", "c").inc(-1))
        .hasMessageContaining("only goes up");
    assertThatThrownBy(() -> m.counterFamily("d_total", "d", "k").labels())
        .hasMessageContaining("has labels");
  }

  @Test
  void shouldMoveGaugesBothWays() {
    Gauge g = new Metrics().gauge("g", "g");
    g.inc();
    g.inc();
    g.dec();
    g.add(0.5);
    assertThat(g.value()).isEqualTo(1.5);
  }
}
