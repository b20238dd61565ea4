package io.protolearn.chain.gov;

import io.protolearn.chain.client.RunClient;
import io.protolearn.chain.contracts.RunManager;
import java.math.BigInteger;

/** What a proposal asks the run's timelock to do. */
public sealed interface RunAction {

  /** The RunManager calldata of the action. */
  String calldata(RunClient run);

  /** A short human description. */
  String describe();

  /** Change one bounded parameter, all others as they are now. */
  record SetParam(String name, BigInteger value) implements RunAction {
    public SetParam {
      if (!ParamBounds.NAMES.contains(name)) {
        throw new IllegalArgumentException(
            "unknown parameter '" + name + "'; one of " + String.join(", ", ParamBounds.NAMES));
      }
      if (value.signum() < 0) {
        throw new IllegalArgumentException(name + " cannot be negative");
      }
    }

    @Override
    public String calldata(RunClient run) {
      RunManager.Params next = ParamBounds.with(run.latestParams(), name, value);
      ParamBounds.violation(next)
          .ifPresent(
              v -> {
                throw new IllegalArgumentException("out of bounds: " + v);
              });
      return run.encodeSetParams(next);
    }

    @Override
    public String describe() {
      return "set " + name + " to " + value;
    }
  }

  /** Pause the run (temporary). */
  record Pause() implements RunAction {
    @Override
    public String calldata(RunClient run) {
      return run.encodePause();
    }

    @Override
    public String describe() {
      return "pause the run";
    }
  }

  /** Resume a paused run. */
  record Resume() implements RunAction {
    @Override
    public String calldata(RunClient run) {
      return run.encodeResume();
    }

    @Override
    public String describe() {
      return "resume the run";
    }
  }

  /** Halt the run for good. */
  record Halt() implements RunAction {
    @Override
    public String calldata(RunClient run) {
      return run.encodeHalt();
    }

    @Override
    public String describe() {
      return "halt the run permanently";
    }
  }
}
