package io.protolearn.chain.tx;

import java.util.List;

/**
 * A transaction or call the contracts refused, with the custom error's name and decoded arguments
 * (e.g. {@code RunManagerCommitTooLate(7, 120)}).
 */
public final class ProtocolRevertException extends RuntimeException {
  private final String errorName;
  private final List<Object> args;
  private final String rawData;

  public ProtocolRevertException(String errorName, List<Object> args, String rawData) {
    super(
        errorName
            + args.stream()
                .map(String::valueOf)
                .toList()
                .toString()
                .replace('[', '(')
                .replace(']', ')'));
    this.errorName = errorName;
    this.args = List.copyOf(args);
    this.rawData = rawData;
  }

  /**
   * The custom error's name, {@code Error} for a revert string, {@code Panic}, or {@code Unknown}.
   */
  public String errorName() {
    return errorName;
  }

  public List<Object> args() {
    return args;
  }

  /** The revert data as 0x-hex, empty string if the node gave none. */
  public String rawData() {
    return rawData;
  }
}
