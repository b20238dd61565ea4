package io.protolearn.validator.node;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.protolearn.node.metrics.Metrics;

/**
 * The validator's Prometheus metrics (served on the local metrics port, {@code --metrics-port}) and
 * the numbers of its status.
 */
public final class ValidatorMetrics {
  final Counter checks;
  final Histogram checkSeconds;
  final Counter bases;
  final Counter unfinished;
  final Counter attestations;
  final Counter roundsMissed;
  final Counter filed;
  final Counter challengesWon;
  final Counter juryDuties;
  final Counter votesCommitted;
  final Counter votesRevealed;
  final Gauge sharesClaimed;
  final Gauge paymentsWithdrawn;

  public ValidatorMetrics(Metrics m) {
    checks =
        m.counter(
            "protolearn_validator_checks_total", "sampled steps checked, by outcome", "outcome");
    checkSeconds =
        m.histogram(
            "protolearn_validator_check_seconds",
            "seconds per sampled-step check (fetching the artifacts and recomputing the step)");
    bases =
        m.counter(
            "protolearn_validator_bases_total",
            "committed bases compared with the aggregated one (DESIGN §7), by outcome"
                + " (match, wrong, unknown)",
            "outcome");
    unfinished =
        m.counter(
            "protolearn_validator_checks_unfinished_total",
            "assigned checks not finished before the check window closed (not attested)");
    attestations = m.counter("protolearn_validator_attestations_total", "rounds attested");
    roundsMissed =
        m.counter(
            "protolearn_validator_rounds_missed_total", "rounds whose check window was missed");
    filed =
        m.counter(
            "protolearn_validator_faults_filed_total",
            "fraud proofs and challenges filed, by kind",
            "kind");
    challengesWon =
        m.counter("protolearn_validator_challenges_won_total", "own challenges resolved guilty");
    juryDuties = m.counter("protolearn_validator_jury_duties_total", "challenges drawn as juror");
    votesCommitted = m.counter("protolearn_validator_votes_committed_total", "votes committed");
    votesRevealed = m.counter("protolearn_validator_votes_revealed_total", "votes revealed");
    sharesClaimed =
        m.gauge("protolearn_validator_shares_claimed_wei", "model shares claimed (share wei)");
    paymentsWithdrawn =
        m.gauge("protolearn_validator_payments_withdrawn_wei", "dispute payments withdrawn (wei)");
  }
}
