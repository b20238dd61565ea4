package io.protolearn.node.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unit of a node's work (a validator's tick, a miner's round) that an {@link OutOfMemoryError}
 * ends without ending the node (DESIGN §13 v2): a huge response or a model too big for the heap
 * costs that unit, and the node goes on with the next one with the memory the failed unit held
 * freed. Before, the error escaped the node's loop and the process died — a miner lost every round
 * after it, a validator every check, vote and claim.
 */
public final class Task {
  private static final Logger LOG = LoggerFactory.getLogger(Task.class);

  private Task() {}

  /**
   * Runs {@code work}; false (and one error line naming {@code what}) if it ran out of memory.
   * Other errors and exceptions propagate as before.
   */
  public static boolean survivingOutOfMemory(String what, Runnable work) {
    try {
      work.run();
      return true;
    } catch (OutOfMemoryError e) {
      LOG.error(
          "{} ran out of memory ({}); it is given up and the node goes on (raise the heap with"
              + " PROTOLEARN_HEAP if this repeats)",
          what,
          e.getMessage());
      return false;
    }
  }
}
