package io.protolearn.node.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskTest {
  @Test
  void shouldEndOnlyTheUnitThatRanOutOfMemory() {
    List<String> done = new ArrayList<>();
    // a real allocation failure: an array larger than any heap this JVM may have
    boolean first =
        Task.survivingOutOfMemory(
            "round 3",
            () -> {
              long[] huge = new long[Integer.MAX_VALUE - 16];
              done.add("round 3 " + huge.length);
            });
    boolean second = Task.survivingOutOfMemory("round 4", () -> done.add("round 4"));
    assertThat(first).isFalse();
    assertThat(second).isTrue();
    assertThat(done).containsExactly("round 4");
  }

  @Test
  void shouldLetOtherFailuresThrough() {
    assertThatThrownBy(
            () ->
                Task.survivingOutOfMemory(
                    "tick",
                    () -> {
                      throw new IllegalStateException("not memory");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("not memory");
  }
}
