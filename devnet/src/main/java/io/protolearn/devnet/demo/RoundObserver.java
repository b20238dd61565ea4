package io.protolearn.devnet.demo;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.events.ChainEvent;
import io.protolearn.chain.events.EventFeed;
import io.protolearn.chain.model.CommitmentInfo;
import io.protolearn.protocol.round.RoundClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches the demo's rounds on the chain while the nodes run: after each round's vote window one
 * row (commits, attestations, challenges, slashes, held-out loss) and one console line. Between two
 * looks at the chain it keeps the nodes up ({@link NodeSupervisor}) and strikes the chaos kills
 * that are due.
 */
public final class RoundObserver {
  private final ProtocolClient reader;
  private final EventFeed feed;
  private final List<Participant> people;
  private final HeldOutLosses losses;
  private final NodeSupervisor supervisor;
  private final Chaos chaos;
  private final Path nodes;
  private final PrintWriter out;
  private final List<String> kills = new ArrayList<>();
  private long scanned;

  public RoundObserver(
      ProtocolClient reader,
      EventFeed feed,
      long fromBlock,
      List<Participant> people,
      HeldOutLosses losses,
      NodeSupervisor supervisor,
      Chaos chaos,
      Path nodes,
      PrintWriter out) {
    this.reader = reader;
    this.feed = feed;
    this.scanned = fromBlock;
    this.people = people;
    this.losses = losses;
    this.supervisor = supervisor;
    this.chaos = chaos;
    this.nodes = nodes;
    this.out = out;
  }

  /** Rounds {@code first .. first+rounds-1}, one row each, in order. */
  public void observe(long first, int rounds, DemoReport report) throws Exception {
    long miners = people.stream().filter(Participant::miner).count();
    long validators = people.size() - miners;
    for (long r = first; r < first + rounds; r++) {
      RoundClock clock = reader.runs().clock(r);
      long end = clock.voteEnd();
      if (r == first + 1) {
        for (Participant p : people) {
          if (p.kind.equals("crash")) {
            crashAndRestart(p, r, clock);
          }
        }
      }
      waitForBlock(end + 1);
      long head = reader.blockNumber();
      DemoReport.Round row = new DemoReport.Round(r);
      for (Participant p : people) {
        if (p.miner()) {
          CommitmentInfo ci = reader.runs().commitmentOf(r, p.address);
          if (ci.committed()) {
            row.committed.add(p.name);
            p.roundsCommitted++;
          }
          if (ci.convicted()) {
            row.convicted.add(p.name);
          }
        } else if (reader.runs().attestationOf(r, p.address).attested()) {
          row.attested.add(p.name);
        }
      }
      for (var e : feed.poll(scanned, head)) {
        if (e instanceof ChainEvent.ChallengeOpened c) {
          row.challenges++;
        } else if (e instanceof ChainEvent.Slashed s) {
          row.slashed.add(Participant.nameOf(people, s.account()));
        }
      }
      scanned = head + 1;
      // the miners aggregate the next base early in the next round's commit window
      long baseBy = reader.runs().clock(r + 1).commitDeadline();
      row.heldOutLoss = losses.after(r);
      while (row.heldOutLoss == null && reader.blockNumber() < baseBy) {
        idle(500);
        row.heldOutLoss = losses.after(r);
      }
      report.rounds.add(row);
      out.printf(
          "round %d | committed %d/%d | attestations %d/%d | challenges %d | slashes %d |"
              + " held-out loss %s%n",
          r,
          row.committed.size(),
          miners,
          row.attested.size(),
          validators,
          row.challenges,
          row.slashed.size(),
          row.heldOutLoss == null ? "-" : String.format("%.4f", row.heldOutLoss));
    }
  }

  /**
   * Claims of the last rounds come after their vote windows: waits up to one more round for the
   * nodes to make them (and for the last held-out losses); what they leave the demo settles.
   */
  public void awaitClaims(long last, DemoReport report) throws Exception {
    long claimsBy = reader.runs().clock(last + 1).voteEnd() + 1;
    while (reader.blockNumber() < claimsBy
        && !(allClaimed(last)
            && report.rounds.stream()
                .allMatch(x -> x.heldOutLoss != null || losses.after(x.round) != null))) {
      idle(1000);
    }
    for (DemoReport.Round row : report.rounds) {
      if (row.heldOutLoss == null) {
        row.heldOutLoss = losses.after(row.round);
      }
    }
  }

  /**
   * The crash adversary: kill -9 of the miner as soon as its log shows a step of round r (or its
   * commit deadline passes); the supervisor restarts it on the same data. The restarted node must
   * not train or commit round r a second time and carries on from the next round.
   */
  private void crashAndRestart(Participant p, long r, RoundClock clock) throws Exception {
    Path log = p.log(nodes);
    String step = "round " + r + " step ";
    long until = clock.commitDeadline();
    while (reader.blockNumber() < until
        && !(Files.exists(log) && Files.readString(log).contains(step))) {
      idle(100);
    }
    supervisor.kill(p.name);
    kills.add(p.name + " killed (-9) during round " + r + " (crash adversary)");
    out.printf("  %s killed (-9) during round %d%n", p.name, r);
    supervisor.supervise();
  }

  private void waitForBlock(long block) throws InterruptedException, IOException {
    while (reader.blockNumber() < block) {
      idle(500);
    }
  }

  /** Keeps the nodes up, strikes the chaos kills due, then waits {@code millis}. */
  private void idle(long millis) throws InterruptedException, IOException {
    long head = reader.blockNumber();
    for (Chaos.Kill k : chaos.due(head)) {
      supervisor.kill(k.name());
      kills.add(k.name() + " killed (-9) at block " + head + " (chaos)");
      out.printf("  chaos: %s killed (-9) at block %d%n", k.name(), head);
    }
    supervisor.supervise();
    Thread.sleep(millis);
  }

  /** The kills so far (chaos and the crash adversary), one line each. */
  public List<String> kills() {
    return List.copyOf(kills);
  }

  private boolean allClaimed(long round) {
    for (Participant p : people) {
      CommitmentInfo ci = p.miner() ? reader.runs().commitmentOf(round, p.address) : null;
      if (ci != null && ci.committed() && !ci.convicted()) {
        if (!ci.claimed()) {
          return false;
        }
      }
    }
    return reader.shares().totalSupply().signum() > 0;
  }
}
