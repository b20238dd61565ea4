package io.protolearn.devnet.demo;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.model.Challenge;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.dispute.ChallengeStatus;
import io.protolearn.protocol.dispute.FaultKind;
import io.protolearn.protocol.lanes.LaneAssignment;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.protocol.Web3j;

/**
 * The demo's report once its nodes have stopped and its rounds are settled: the chain's ledger
 * ({@link ChainLedger}), each participant's stake, claimed and claimable shares and standby rounds,
 * and the kills and restarts of the run.
 */
public final class ReportAssembler {

  private final ProtocolClient reader;
  private final Web3j web3j;
  private final List<String> contracts;
  private final long deployBlock;
  private final List<Participant> people;

  public ReportAssembler(
      ProtocolClient reader,
      Web3j web3j,
      List<String> contracts,
      long deployBlock,
      List<Participant> people) {
    this.reader = reader;
    this.web3j = web3j;
    this.contracts = contracts;
    this.deployBlock = deployBlock;
    this.people = people;
  }

  /**
   * Fills the report: the ledger from {@code earliest} (the first round anyone could earn) to two
   * rounds past {@code last}, then the participants.
   */
  public void fill(
      DemoReport report,
      long earliest,
      long last,
      Map<String, List<Long>> claimedByDemo,
      List<String> kills,
      List<NodeSupervisor.Restart> restarts) {
    Map<String, String> roles = new LinkedHashMap<>();
    people.forEach(p -> roles.put(p.address, p.role));
    ChainLedger.fill(
        report,
        reader,
        web3j,
        contracts,
        deployBlock,
        earliest,
        last + 2,
        roles,
        a -> Participant.nameOf(people, a),
        ParticipantSetup.STAKE);
    report.adversaries =
        people.stream()
            .filter(p -> !p.kind.equals("honest"))
            .map(p -> p.name + ": " + p.kind)
            .toList();
    Map<String, List<Long>> standby = standbyRounds(report);
    for (Participant p : people) {
      BigInteger claimable = BigInteger.ZERO;
      for (long r = earliest; r <= last + 2; r++) {
        claimable = claimable.add(reader.runs().claimable(r, p.address));
      }
      report.participants.add(
          new DemoReport.Person(
              p.name,
              p.role,
              p.kind,
              p.stage,
              p.address,
              ParticipantSetup.STAKE,
              reader.staking().stakeOf(p.address),
              reader.shares().balanceOf(p.address),
              claimable,
              p.roundsCommitted,
              claimedByDemo.getOrDefault(p.name, List.of()),
              standby.getOrDefault(p.name, List.of())));
    }
    report.totalShares = reader.shares().totalSupply();
    for (long id = 1; id <= reader.disputes().challengeCount(); id++) {
      Challenge ch = reader.disputes().challenge(id);
      if (ch.status() == ChallengeStatus.INNOCENT) {
        report.challengeBondsLost.merge(
            Participant.nameOf(people, ch.challenger()), bondLost(ch), BigInteger::add);
      }
    }
    report.kills.addAll(kills);
    for (NodeSupervisor.Restart r : restarts) {
      report.restarts.add(
          r.name()
              + " exited with code "
              + r.exitCode()
              + " at block "
              + r.block()
              + "; restarted");
    }
  }

  /**
   * The reported rounds in which each miner trained in no lane: DESIGN §3's lanes of the round,
   * from the chain's lane miners (RunClient.laneMiners) and round r-1's seed (the genesis seed when
   * none was drawn).
   */
  private Map<String, List<Long>> standbyRounds(DemoReport report) {
    Map<String, List<Long>> standby = new LinkedHashMap<>();
    for (DemoReport.Round row : report.rounds) {
      long r = row.round;
      Optional<List<List<Address>>> byStage =
          reader.runs().laneMiners(r, java.time.Duration.ofSeconds(10));
      if (byStage.isEmpty()) {
        continue; // round r-1 never became final: nobody planned round r's lanes
      }
      Bytes32 seed = r > 0 ? reader.runs().seedOf(r - 1) : Bytes32.ZERO;
      if (seed.equals(Bytes32.ZERO)) {
        seed = LaneAssignment.genesisSeed(reader.runs().runId(), r);
      }
      for (List<Address> stage : LaneAssignment.of(byStage.get(), seed).standbys()) {
        for (Address a : stage) {
          standby
              .computeIfAbsent(Participant.nameOf(people, a.toHex()), n -> new ArrayList<>())
              .add(r);
        }
      }
    }
    return standby;
  }

  /**
   * What the challenger of an innocent verdict lost (DisputeManager): the whole bond, except on an
   * unavailable challenge a jury judged, where only the majority jurors' half goes and the rest
   * returns (none of it on a tie).
   */
  static BigInteger bondLost(Challenge ch) {
    if (ch.kind() != FaultKind.UNAVAILABLE || ch.draws() == 0) {
      return ch.bond();
    }
    long majority = ch.innocentVotes() > ch.guiltyVotes() ? ch.innocentVotes() : 0;
    if (majority == 0) {
      return BigInteger.ZERO;
    }
    BigInteger m = BigInteger.valueOf(majority);
    BigInteger jurorsHalf = ch.bond().subtract(ch.bond().divide(BigInteger.TWO));
    return jurorsHalf.divide(m).multiply(m);
  }
}
