package io.protolearn.cli;

/** A mistake the operator can fix (no stake, bad endpoint, unreachable chain); one clear line. */
public final class UserException extends RuntimeException {
  public UserException(String message) {
    super(message);
  }
}
