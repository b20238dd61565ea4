package io.protolearn.devnet.demo;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.events.ChainEvent;
import io.protolearn.chain.events.EventFeed;
import io.protolearn.chain.model.AttestationInfo;
import io.protolearn.chain.model.CommitmentInfo;
import io.protolearn.chain.model.RoundInfo;
import io.protolearn.protocol.economics.Rewards;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.web3j.protocol.Web3j;

/**
 * What the chain says about a demo once every node has stopped, read from the contracts' events and
 * state: per round the checks attested, challenges, verdicts and slashes, and the reward inputs of
 * DESIGN §7 (accepted steps, attesters, shares per round, validator share); per participant every
 * round's commitment or attestation and whether it was claimed, and the stake slashed; and each
 * participant's stake and claimed shares after every reported round (a slash counts in the round
 * its verdict was about; shares are DESIGN §7's reward of each claimed round, {@link Rewards}).
 */
public final class ChainLedger {
  private ChainLedger() {}

  /** Fills the report's rounds and ledger from the chain; {@code names} maps address → name. */
  public static void fill(
      DemoReport report,
      ProtocolClient reader,
      Web3j web3j,
      List<String> contracts,
      long fromBlock,
      long firstRound,
      long lastRound,
      Map<String, String> roleByAddress,
      Function<String, String> names,
      BigInteger stakeAtStart) {
    Map<Long, DemoReport.Round> rows = new HashMap<>();
    report.rounds.forEach(r -> rows.put(r.round, r));
    for (DemoReport.Round r : report.rounds) {
      r.challenges = 0;
      r.slashed.clear();
    }
    Map<String, Long> challengeRound = new HashMap<>();
    Map<String, String> challengeMiner = new HashMap<>();
    Map<String, String> challengeWhat = new HashMap<>();
    Map<String, BigInteger> slashedWei = new HashMap<>();
    long lastReported = report.rounds.stream().mapToLong(r -> r.round).max().orElse(lastRound);
    Map<String, Long> roundOfTx = new HashMap<>(); // verdict transactions → the disputed round
    Map<String, Map<Long, BigInteger>> slashedByRound = new HashMap<>();
    long head = reader.blockNumber();
    List<ChainEvent> events = new EventFeed(web3j, contracts).poll(fromBlock, head);
    for (ChainEvent e : events) {
      if (e instanceof ChainEvent.ChallengeOpened c) {
        challengeRound.put(String.valueOf(c.challengeId()), c.round());
        challengeMiner.put(String.valueOf(c.challengeId()), names.apply(c.miner()));
        // what a reader of a verdict needs to tell a fair conviction from a framing
        challengeWhat.put(
            String.valueOf(c.challengeId()),
            c.kind().label()
                + " at step "
                + c.step()
                + ", filed by "
                + names.apply(c.challenger()));
        row(rows, c.round()).ifPresent(r -> r.challenges++);
      } else if (e instanceof ChainEvent.ChallengeResolved v
          && challengeRound.containsKey(String.valueOf(v.challengeId()))) {
        roundOfTx.put(v.txHash(), challengeRound.get(String.valueOf(v.challengeId())));
      } else if (e instanceof ChainEvent.FraudProven f) {
        roundOfTx.put(f.txHash(), f.round());
      }
    }
    for (ChainEvent e : events) {
      if (e instanceof ChainEvent.Attested a) {
        row(rows, a.round()).ifPresent(r -> r.checks += a.checks());
      } else if (e instanceof ChainEvent.ChallengeResolved v) {
        Long round = challengeRound.get(String.valueOf(v.challengeId()));
        String miner = challengeMiner.get(String.valueOf(v.challengeId()));
        if (round != null && rows.containsKey(round)) {
          if (v.guilty()) {
            rows.get(round).slashed.add(miner);
          }
          rows.get(round)
              .verdicts
              .add(
                  String.format(
                      "%s, challenge %s (%s): %s (%s-%s)",
                      miner,
                      v.challengeId(),
                      challengeWhat.get(String.valueOf(v.challengeId())),
                      v.guilty() ? "guilty" : "innocent",
                      v.guiltyVotes(),
                      v.innocentVotes()));
        }
      } else if (e instanceof ChainEvent.FraudProven f) {
        row(rows, f.round())
            .ifPresent(
                r -> {
                  r.slashed.add(names.apply(f.miner()));
                  r.verdicts.add(
                      names.apply(f.miner())
                          + ": fraud proven on chain ("
                          + f.kind().label()
                          + ")");
                });
      } else if (e instanceof ChainEvent.Slashed s) {
        slashedWei.merge(s.account().toLowerCase(), s.amount(), BigInteger::add);
        // a slash comes in the same transaction as its verdict
        long round = roundOfTx.getOrDefault(s.txHash(), lastReported);
        slashedByRound
            .computeIfAbsent(s.account().toLowerCase(), a -> new HashMap<>())
            .merge(round, s.amount(), BigInteger::add);
      }
    }
    Map<String, BigInteger> earned = new HashMap<>();
    for (long q = firstRound; q <= lastRound; q++) {
      RoundInfo info = reader.runs().roundInfo(q);
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("round", q);
      l.put("finalized", info.finalized());
      l.put("acceptedSteps", String.valueOf(info.acceptedSteps()));
      l.put("attesters", String.valueOf(info.attesters()));
      l.put("sharesPerRound", info.sharesPerRound().toString());
      l.put("validatorShareBps", String.valueOf(info.validatorShareBps()));
      List<Object> parts = new ArrayList<>();
      for (Map.Entry<String, String> p : roleByAddress.entrySet()) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("name", names.apply(p.getKey()));
        if (p.getValue().equals("miner")) {
          CommitmentInfo ci = reader.runs().commitmentOf(q, p.getKey());
          if (!ci.committed()) {
            continue;
          }
          x.put("stepCount", String.valueOf(ci.stepCount()));
          x.put("convicted", ci.convicted());
          x.put("claimed", ci.claimed());
          if (ci.claimed()) {
            earned.merge(
                p.getKey(),
                Rewards.minerReward(
                    info.sharesPerRound(),
                    info.validatorShareBps(),
                    ci.stepCount(),
                    info.acceptedSteps()),
                BigInteger::add);
          }
        } else {
          AttestationInfo ai = reader.runs().attestationOf(q, p.getKey());
          if (!ai.attested()) {
            continue;
          }
          x.put("attested", true);
          x.put("claimed", ai.claimed());
          if (ai.claimed()) {
            earned.merge(
                p.getKey(),
                Rewards.validatorReward(
                    info.sharesPerRound(), info.validatorShareBps(), info.attesters()),
                BigInteger::add);
          }
        }
        parts.add(x);
      }
      l.put("participants", parts);
      report.ledger.add(l);
      if (rows.containsKey(q)) {
        long upTo = q;
        for (String a : roleByAddress.keySet()) {
          String name = names.apply(a);
          BigInteger slashed =
              slashedByRound.getOrDefault(a.toLowerCase(), Map.of()).entrySet().stream()
                  .filter(x -> x.getKey() <= upTo)
                  .map(Map.Entry::getValue)
                  .reduce(BigInteger.ZERO, BigInteger::add);
          report
              .stakeSeries
              .computeIfAbsent(name, n -> new ArrayList<>())
              .add(stakeAtStart.subtract(slashed));
          report
              .sharesSeries
              .computeIfAbsent(name, n -> new ArrayList<>())
              .add(earned.getOrDefault(a, BigInteger.ZERO));
        }
      }
    }
    for (Map.Entry<String, String> p : roleByAddress.entrySet()) {
      report.slashedWei.put(
          names.apply(p.getKey()),
          slashedWei.getOrDefault(p.getKey().toLowerCase(), BigInteger.ZERO));
    }
  }

  private static java.util.Optional<DemoReport.Round> row(
      Map<Long, DemoReport.Round> rows, long round) {
    return java.util.Optional.ofNullable(rows.get(round));
  }
}
