package io.protolearn.validator.node;

import static io.protolearn.testing.Hashes.h;
import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.node.http.Fetched;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.lanes.LaneAssignment;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.training.lane.OuterStep;
import io.protolearn.training.lane.OuterStep.OuterState;
import io.protolearn.training.spec.TrainSpec;
import io.protolearn.training.tensor.HostTensor;
import io.protolearn.training.tensor.TensorCodec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregation check's bases over real files, against a one-stage run with two miners (two
 * lanes) whose deltas a test serves or withholds, as a miner that is killed and restarted does: a
 * base the validator could not determine is "not known" (never used to accuse), also in the rounds
 * that follow it and across a restart of the validator.
 */
class BaseTrackerTest {
  private static final OuterStep OUTER = new OuterStep(TrainSpec.DEFAULT);
  private static final List<HostTensor> INITIAL =
      List.of(HostTensor.of(new float[] {1f, 2f, 3f, 4f}, 4));
  private static final Address A = Address.fromHex("0x" + "a".repeat(40));
  private static final Address B = Address.fromHex("0x" + "b".repeat(40));

  @TempDir Path dir;

  /** One stage, miners A and B every round; round r commits in blocks up to 100r + 10. */
  private static final class FakeRun implements BaseTracker.Chain {
    final Set<Long> finalized = new HashSet<>();
    final Map<Long, Map<Address, Commitment>> commits = new HashMap<>();
    final Map<Long, Map<Address, List<HostTensor>>> deltas = new HashMap<>();
    final Set<Address> down = new HashSet<>();
    final Set<Address> unavailable = new HashSet<>();
    long block;

    @Override
    public int stageCount() {
      return 1;
    }

    @Override
    public boolean hasMiners(int stage, long round) {
      return true;
    }

    @Override
    public boolean convicted(long round, Address miner) {
      return false;
    }

    @Override
    public boolean available(long round, Address miner) {
      return !unavailable.contains(miner);
    }

    @Override
    public boolean finalized(long round) {
      return finalized.contains(round);
    }

    @Override
    public long blockNumber() {
      return block;
    }

    @Override
    public long commitDeadline(long round) {
      return 100 * round + 10;
    }

    /** Both miners commit their round: their deltas and the bases they trained from. */
    void commit(
        long round,
        List<HostTensor> deltaA,
        OuterState baseA,
        List<HostTensor> deltaB,
        OuterState baseB) {
      Map<Address, Commitment> c = new LinkedHashMap<>();
      c.put(A, new Commitment(h("root"), 4, TensorCodec.hashList(deltaA), baseA.baseHash()));
      c.put(B, new Commitment(h("root"), 4, TensorCodec.hashList(deltaB), baseB.baseHash()));
      commits.put(round, c);
      deltas.put(round, Map.of(A, deltaA, B, deltaB));
    }

    RoundView view(long round) {
      Map<Address, RoundView.Committed> c = new LinkedHashMap<>();
      LaneAssignment lanes = LaneAssignment.of(List.of(List.of(A, B)), Bytes32.ZERO);
      for (var e : commits.getOrDefault(round, Map.of()).entrySet()) {
        int lane = lanes.positionOf(e.getKey()).orElseThrow().getKey();
        c.put(e.getKey(), new RoundView.Committed(e.getKey(), 0, lane, e.getValue()));
      }
      return new RoundView(
          1,
          round,
          null,
          null,
          h("seed"),
          List.of(),
          lanes,
          c,
          Map.of(A, "a", B, "b"),
          List.of(A, B));
    }

    Fetched<List<HostTensor>> fetch(RoundView view, Address miner) {
      return down.contains(miner)
          ? Fetched.fail("request failed: Connection refused")
          : Fetched.ok(deltas.get(view.round()).get(miner));
    }
  }

  private BaseTracker validator(FakeRun run, String folder) {
    return new BaseTracker(
        run, run::view, run::fetch, new MarkerStore(dir.resolve(folder)), s -> INITIAL, OUTER);
  }

  private static List<HostTensor> delta(float v) {
    return List.of(HostTensor.of(new float[] {v, -v, v / 2, 0.25f}, 4));
  }

  /** The deltas in lane order (the lanes of every round here are the same). */
  private static List<List<HostTensor>> inLaneOrder(
      RoundView view, List<HostTensor> ofA, List<HostTensor> ofB) {
    return view.lanes().lanes().stream().map(l -> l.get(0).equals(A) ? ofA : ofB).toList();
  }

  /** A run whose round 0 both miners committed (A: 0.5, B: 0.25) and which is finalized. */
  private static FakeRun roundZeroFinalized() {
    FakeRun run = new FakeRun();
    OuterState base0 = OuterState.initial(INITIAL);
    run.commit(0, delta(0.5f), base0, delta(0.25f), base0);
    run.finalized.add(0L);
    return run;
  }

  @Test
  void shouldNotAccuseFromABaseThatFollowsOneItWasNotSureOfEvenAfterARestart() {
    FakeRun run = roundZeroFinalized();
    OuterState base0 = OuterState.initial(INITIAL);
    // round 1: A aggregated both deltas; B was restarted and could not obtain A's delta, so it
    // aggregated without it (the miners' rule: an unobtainable delta's lane is left out)
    OuterState with = OUTER.apply(base0, inLaneOrder(run.view(0), delta(0.5f), delta(0.25f)));
    OuterState without = OUTER.apply(base0, List.of(delta(0.25f)));
    assertThat(with.baseHash()).isNotEqualTo(without.baseHash());
    run.commit(1, delta(0.125f), with, delta(0.75f), without);
    run.block = run.commitDeadline(1) + 1;

    // the validator restarted while A was down: it cannot obtain A's round-0 delta either
    run.down.add(A);
    BaseTracker restarted = validator(run, "restarted");
    restarted.prepare(1);
    assertThat(restarted.expected(0, 1)).as("B's base is not sure: not used to accuse").isEmpty();

    // round 2: A went on from the aggregation of every delta, B from its own base
    run.down.clear();
    BaseTracker sure = validator(run, "sure");
    assertThat(sure.expected(0, 1)).contains(with.baseHash());
    run.finalized.add(1L);
    List<List<HostTensor>> round1 = inLaneOrder(run.view(1), delta(0.125f), delta(0.75f));
    OuterState honest = OUTER.apply(with, round1);
    OuterState fromWithout = OUTER.apply(without, round1);
    run.commit(2, delta(1f), honest, delta(1f), fromWithout);
    run.block = run.commitDeadline(2) + 1;

    // a validator that obtained every delta decides, and A's base is the aggregation
    assertThat(sure.expected(0, 2)).contains(honest.baseHash());
    // the validator that was not sure of round 1's base is not sure of round 2's: A is innocent
    assertThat(restarted.expected(0, 2)).as("stepped from a base it was not sure of").isEmpty();
    // and neither after another restart on the same data folder
    BaseTracker restartedAgain = validator(run, "restarted");
    assertThat(restartedAgain.expected(0, 2)).isEmpty();
    assertThat(restartedAgain.expected(0, 1)).isEmpty();
  }

  @Test
  void shouldAskAgainForADeltaItCouldNotObtainWhileTheNextBasesAreAwaited() {
    FakeRun run = roundZeroFinalized();
    OuterState base0 = OuterState.initial(INITIAL);
    run.block = run.commitDeadline(1) - 5; // round 1's commit window is open
    BaseTracker v = validator(run, "v");
    run.down.add(A); // A is being restarted
    v.prepare(1);
    assertThat(v.expected(0, 1)).isEmpty();
    run.down.clear(); // A serves again before round 1's commits are in
    OuterState with = OUTER.apply(base0, inLaneOrder(run.view(0), delta(0.5f), delta(0.25f)));
    run.commit(1, delta(0.125f), with, delta(0.75f), with);
    run.block = run.commitDeadline(1) + 1;
    assertThat(v.expected(0, 1)).as("A's delta obtained at the next try").contains(with.baseHash());
  }

  @Test
  void shouldLeaveOutAMinerTheAttestationsFoundUnavailableWithoutAskingForIt() {
    // A committed round 0 but a majority of the attestations did not find its update (a copycat's
    // delta does not match the hash it committed): the base is B's delta alone, and it is
    // decisive — every node reads the same availability from the chain
    FakeRun run = roundZeroFinalized();
    run.unavailable.add(A);
    run.down.add(A); // A does not serve it either: the validator must not wait for it
    OuterState base0 = OuterState.initial(INITIAL);
    OuterState withoutA = OUTER.apply(base0, List.of(delta(0.25f)));
    BaseTracker v = validator(run, "v");
    assertThat(v.expected(0, 1)).contains(withoutA.baseHash());
  }
}
