package io.protolearn.training.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.protolearn.training.spec.ReproProfile;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts DJL's PyTorch engine under a reproducibility profile and reports how the running process
 * differs from it. Environment variables (OMP_NUM_THREADS, MKL_CBWR, ATEN_CPU_CAPABILITY) are read
 * by the native library when it loads, so the launcher must set them; this class can only check
 * them. The thread count is also pinned through DJL's system properties before the engine loads.
 */
public final class TrainingEngine {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingEngine.class);
  private static Engine engine;

  private TrainingEngine() {}

  /** How the running process compares with a profile: empty mismatches means it matches. */
  public record ProfileCheck(ReproProfile expected, ReproProfile actual, List<String> mismatches) {
    public ProfileCheck {
      mismatches = List.copyOf(mismatches);
    }

    public boolean matches() {
      return mismatches.isEmpty();
    }
  }

  /** Loads the engine (once) with the profile's thread count and checks the profile. */
  public static synchronized ProfileCheck start(ReproProfile profile) {
    if (engine == null) {
      System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
      String threads = Integer.toString(profile.threads());
      System.setProperty(
          "ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", threads));
      System.setProperty(
          "ai.djl.pytorch.num_interop_threads",
          System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
      engine = Engine.getEngine("PyTorch");
      LOG.info(
          "training engine PyTorch {} (DJL {}) started",
          engine.getVersion(),
          Engine.getDjlVersion());
    }
    ProfileCheck check = check(profile);
    if (!check.matches()) {
      LOG.warn("reproducibility profile mismatch: {}", check.mismatches());
    }
    return check;
  }

  /** Like {@link #start} but refuses to run under a different profile. */
  public static void startStrict(ReproProfile profile) {
    ProfileCheck check = start(profile);
    if (!check.matches()) {
      throw new IllegalStateException(
          "this process does not run the run's reproducibility profile: " + check.mismatches());
    }
  }

  public static ReproProfile current(String device) {
    return new ReproProfile(
        "PyTorch",
        Engine.getDjlVersion(),
        engine.getVersion(),
        device,
        JniUtils.getNumThreads(),
        envOr("MKL_CBWR", "unset"),
        envOr("ATEN_CPU_CAPABILITY", "unset"));
  }

  private static ProfileCheck check(ReproProfile expected) {
    ReproProfile actual = current(expected.device());
    List<String> mismatches = new ArrayList<>();
    compare(mismatches, "engine", expected.engine(), actual.engine());
    compare(mismatches, "djlVersion", expected.djlVersion(), actual.djlVersion());
    compare(mismatches, "nativeVersion", expected.nativeVersion(), actual.nativeVersion());
    if (expected.exact()) {
      compare(mismatches, "threads", expected.threads(), actual.threads());
      String omp = envOr("OMP_NUM_THREADS", "unset");
      compare(mismatches, "OMP_NUM_THREADS", Integer.toString(expected.threads()), omp);
      compare(mismatches, "mklCbwr", expected.mklCbwr(), actual.mklCbwr());
      compare(
          mismatches,
          "atenCpuCapability",
          expected.atenCpuCapability(),
          actual.atenCpuCapability());
    }
    return new ProfileCheck(expected, actual, mismatches);
  }

  private static void compare(List<String> out, String name, Object expected, Object actual) {
    if (!expected.equals(actual)) {
      out.add(name + " is " + actual + ", the run needs " + expected);
    }
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : v;
  }
}
