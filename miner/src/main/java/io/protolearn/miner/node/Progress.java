package io.protolearn.miner.node;

import io.protolearn.training.lane.StageRunner;
import java.io.PrintWriter;

/**
 * What an operator sees: a progress bar on a terminal, one line per step otherwise, and one summary
 * line per round.
 */
final class Progress implements StageRunner.StepListener {
  private static final int WIDTH = 24;
  private final PrintWriter out;
  private final boolean terminal;
  private long round;

  Progress(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  void startRound(long r) {
    this.round = r;
  }

  @Override
  public void stepDone(int step, int of, double loss) {
    String lossText = Double.isNaN(loss) ? "" : String.format(" loss %.4f", loss);
    if (terminal) {
      int filled = (step + 1) * WIDTH / of;
      out.printf(
          "\rround %d [%s%s] %d/%d%s",
          round, "#".repeat(filled), " ".repeat(WIDTH - filled), step + 1, of, lossText);
      if (step + 1 == of) {
        out.print("\r" + " ".repeat(WIDTH + 40) + "\r");
      }
    } else {
      out.printf("round %d step %d/%d%s%n", round, step + 1, of, lossText);
    }
    out.flush();
  }

  void line(String text) {
    out.println(text);
    out.flush();
  }
}
