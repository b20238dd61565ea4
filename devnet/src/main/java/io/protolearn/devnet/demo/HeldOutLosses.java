package io.protolearn.devnet.demo;

import io.protolearn.miner.MinerCommand;
import io.protolearn.training.lane.OuterStep.OuterState;
import io.protolearn.training.model.HeldOutLoss;
import io.protolearn.training.spec.RunSpecs;
import io.protolearn.training.tensor.HostTensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Held-out loss of the model the miners aggregated: after round r, the base of round r+1 of each
 * stage, as the first of that stage's honest miners that has it hands it out ({@code miner base},
 * its CLI): a miner that sat a round out, or left, has no base of it.
 */
public final class HeldOutLosses implements AutoCloseable {
  private final RunSpecs specs;
  private final List<List<Participant>> miners = new ArrayList<>();
  private final Path scratch;
  private HeldOutLoss eval;

  /**
   * @param scratch a folder for the bases the miners write
   */
  public HeldOutLosses(RunSpecs specs, List<Participant> people, Path scratch) {
    this.specs = specs;
    this.scratch = scratch;
    for (int s = 0; s < specs.stages(); s++) {
      int stage = s;
      miners.add(
          people.stream()
              .filter(p -> p.miner() && p.stage == stage && p.nodeFlag == null)
              .toList());
    }
  }

  public Double initial() {
    List<List<HostTensor>> params = new ArrayList<>();
    for (int s = 0; s < specs.stages(); s++) {
      params.add(specs.initialParams(s));
    }
    return eval(params);
  }

  /** The loss after {@code round}, or null while a stage's base is not there yet. */
  public Double after(long round) {
    List<List<HostTensor>> params = new ArrayList<>();
    for (List<Participant> stage : miners) {
      OuterState base = null;
      for (int i = 0; i < stage.size() && base == null; i++) {
        base = base(stage.get(i), round + 1);
      }
      if (base == null) {
        return null;
      }
      params.add(base.params());
    }
    return eval(params);
  }

  private OuterState base(Participant p, long round) {
    Path file = scratch.resolve(p.name + "-base-" + round + ".bin");
    StringWriter quiet = new StringWriter();
    int code =
        MinerCommand.execute(
            Map.of(),
            new PrintWriter(quiet, true),
            new PrintWriter(quiet, true),
            "base",
            "--data-dir",
            p.dataDir.toString(),
            "--round",
            Long.toString(round),
            "--out",
            file.toString());
    if (code != 0) {
      return null; // not aggregated yet
    }
    try {
      return OuterState.decode(Files.readAllBytes(file));
    } catch (IOException | RuntimeException e) {
      return null;
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a scratch file
      }
    }
  }

  private Double eval(List<List<HostTensor>> params) {
    try {
      if (eval == null) {
        eval = new HeldOutLoss(specs);
      }
      return eval.loss(params);
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public void close() {
    if (eval != null) {
      eval.close();
    }
  }
}
