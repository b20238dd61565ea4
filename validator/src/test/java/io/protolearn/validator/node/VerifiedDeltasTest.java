package io.protolearn.validator.node;

import static io.protolearn.testing.Hashes.h;
import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.node.http.Fetched;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.lanes.LaneAssignment;
import io.protolearn.protocol.leaf.Commitment;
import io.protolearn.training.tensor.HostTensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a validator marks available: only updates that verify, asked for again until time is up. */
class VerifiedDeltasTest {
  private static final Address GOOD = Address.fromHex("0x" + "a".repeat(40));
  private static final Address NAN = Address.fromHex("0x" + "b".repeat(40));
  private static final Address SHAPE = Address.fromHex("0x" + "c".repeat(40));
  private static final Address LATE = Address.fromHex("0x" + "d".repeat(40));
  private static final List<HostTensor> PARAMS = List.of(HostTensor.of(new float[4], 2, 2));

  private static RoundView view() {
    Map<Address, RoundView.Committed> c = new LinkedHashMap<>();
    for (Address m : List.of(GOOD, NAN, SHAPE, LATE)) {
      c.put(m, new RoundView.Committed(m, 0, 0, new Commitment(h("root"), 4, h("d"), h("b"))));
    }
    LaneAssignment lanes =
        LaneAssignment.of(List.of(List.of(GOOD, NAN, SHAPE, LATE)), Bytes32.ZERO);
    return new RoundView(
        1,
        3,
        null,
        null,
        h("seed"),
        List.of(),
        lanes,
        c,
        Map.of(),
        List.of(GOOD, NAN, SHAPE, LATE));
  }

  @Test
  void shouldMarkOnlyFiniteUpdatesOfTheStagesLayoutAndAskAgainForTheMissingOnes() {
    List<Address> asked = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger lateTries = new AtomicInteger();
    VerifiedDeltas deltas =
        new VerifiedDeltas(
            (view, miner) -> {
              asked.add(miner);
              if (miner.equals(NAN)) {
                return Fetched.ok(List.of(HostTensor.of(new float[] {1, Float.NaN, 0, 0}, 2, 2)));
              }
              if (miner.equals(SHAPE)) {
                return Fetched.ok(List.of(HostTensor.of(new float[4], 4)));
              }
              if (miner.equals(LATE) && lateTries.incrementAndGet() < 3) {
                return Fetched.fail("request failed: Connection refused");
              }
              return Fetched.ok(List.of(HostTensor.of(new float[] {0.5f, 0, 0, 0}, 2, 2)));
            });
    deltas.checkLayoutAgainst(s -> PARAMS);
    int[] ticks = {0};
    Set<Address> available =
        deltas.availableOf(view(), new HashSet<>(), () -> ++ticks[0] > 5, Duration.ZERO);
    assertThat(available).containsExactlyInAnyOrder(GOOD, LATE);
    assertThat(deltas.fetch(view(), NAN).failure()).contains("not finite");
    assertThat(deltas.fetch(view(), SHAPE).failure()).contains("[4]").contains("[2, 2]");
    // a verified update is kept: the aggregation check does not fetch it again
    long goodAsked = asked.stream().filter(GOOD::equals).count();
    assertThat(deltas.fetch(view(), GOOD).ok()).isTrue();
    assertThat(asked.stream().filter(GOOD::equals).count()).isEqualTo(goodAsked).isEqualTo(1);
  }

  @Test
  void shouldFetchAPassSideBySideSoThatSlowMinersDoNotHoldTheOthers() {
    // each fetch waits (up to 10 s) until all four have begun, as four slow answers would: asked
    // one after another, as before, the first waits alone and fails and the rest find the barrier
    // broken, so no update verifies in the pass; asked side by side, all four arrive and verify
    CyclicBarrier together = new CyclicBarrier(4);
    VerifiedDeltas deltas =
        new VerifiedDeltas(
            (view, miner) -> {
              try {
                together.await(10, TimeUnit.SECONDS);
                return Fetched.ok(List.of(HostTensor.of(new float[] {0.5f, 0, 0, 0}, 2, 2)));
              } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                return Fetched.fail("no answer: " + e);
              }
            });
    Set<Address> available =
        deltas.availableOf(view(), ConcurrentHashMap.newKeySet(), () -> true, Duration.ZERO);
    assertThat(available).containsExactlyInAnyOrder(GOOD, NAN, SHAPE, LATE);
  }
}
