package io.protolearn.node.http;

import java.util.function.Function;

/** What a request to another node brought back: a value, or why nothing usable came back. */
public record Fetched<T>(T value, String failure) {
  public static <T> Fetched<T> ok(T v) {
    return new Fetched<>(v, null);
  }

  public static <T> Fetched<T> fail(String why) {
    return new Fetched<>(null, why);
  }

  public boolean ok() {
    return failure == null;
  }

  /**
   * The value decoded, or a failure: this one, or {@code "undecodable <what>: <reason>"} when the
   * decoder throws.
   */
  public <R> Fetched<R> decode(String what, Function<? super T, ? extends R> decoder) {
    if (!ok()) {
      return fail(failure);
    }
    try {
      return ok(decoder.apply(value));
    } catch (RuntimeException e) {
      return fail("undecodable " + what + ": " + e.getMessage());
    }
  }
}
