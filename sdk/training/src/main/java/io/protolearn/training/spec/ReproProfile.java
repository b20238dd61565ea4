package io.protolearn.training.spec;

/**
 * The reproducibility profile of a run (DESIGN.md §2): what must be the same on every machine for a
 * recomputed step to give identical bytes. A {@code cpu} device means exact verification (hashes);
 * any other device means tolerance verification (relative L2 distance).
 */
public record ReproProfile(
    String engine,
    String djlVersion,
    String nativeVersion,
    String device,
    int threads,
    String mklCbwr,
    String atenCpuCapability) {

  public static final String CPU = "cpu";
  public static final String GPU = "gpu";

  /**
   * CPU without the bit-exact pins (any thread count, vectorized kernels): verified in tolerance
   * mode. Also how tests and benchmarks exercise tolerance mode on a machine without a GPU.
   */
  public static final String CPU_TOLERANT = "cpu-tolerant";

  /** The pinned CPU profile: one intra-op thread, MKL in compatible mode, no vector dispatch. */
  public static final ReproProfile CPU_DEFAULT =
      new ReproProfile("PyTorch", "0.35.1", "2.7.1", CPU, 1, "COMPATIBLE,STRICT", "default");

  public ReproProfile {
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive");
    }
  }

  /** True when steps recompute bit for bit (hash comparison), false for tolerance mode. */
  public boolean exact() {
    return CPU.equals(device);
  }

  /** True when tensors live on a CUDA device. */
  public boolean gpu() {
    return GPU.equals(device);
  }

  public ReproProfile withDevice(String newDevice) {
    return new ReproProfile(
        engine, djlVersion, nativeVersion, newDevice, threads, mklCbwr, atenCpuCapability);
  }

  public ReproProfile withThreads(int newThreads) {
    return new ReproProfile(
        engine, djlVersion, nativeVersion, device, newThreads, mklCbwr, atenCpuCapability);
  }
}
