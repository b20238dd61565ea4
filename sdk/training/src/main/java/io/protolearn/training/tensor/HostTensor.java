package io.protolearn.training.tensor;

import java.util.Arrays;

/**
 * A tensor held in Java memory: float32 or int32 values in row-major order with their shape.
 * Exactly one of {@code floats}/{@code ints} is non-null. Arrays are shared, not copied: treat them
 * as read-only once built.
 */
public record HostTensor(DType dtype, long[] shape, float[] floats, int[] ints) {

  /** The canonical dtype codes (first byte of the canonical encoding). */
  public enum DType {
    FLOAT32(1),
    INT32(2);

    private final int code;

    DType(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    public static DType ofCode(int code) {
      for (DType t : values()) {
        if (t.code == code) {
          return t;
        }
      }
      throw new IllegalArgumentException("unknown dtype code " + code);
    }
  }

  public HostTensor {
    long n = numel(shape);
    if (dtype == DType.FLOAT32 ? floats == null || ints != null : ints == null || floats != null) {
      throw new IllegalArgumentException("values do not match dtype " + dtype);
    }
    int length = dtype == DType.FLOAT32 ? floats.length : ints.length;
    if (length != n) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + length);
    }
  }

  public static HostTensor of(float[] values, long... shape) {
    return new HostTensor(DType.FLOAT32, shape.clone(), values, null);
  }

  public static HostTensor ofInts(int[] values, long... shape) {
    return new HostTensor(DType.INT32, shape.clone(), null, values);
  }

  public static HostTensor scalar(float value) {
    return of(new float[] {value});
  }

  public int size() {
    return dtype == DType.FLOAT32 ? floats.length : ints.length;
  }

  public static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension");
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** Same dtype, shape and values. */
  public boolean sameAs(HostTensor other) {
    return dtype == other.dtype
        && Arrays.equals(shape, other.shape)
        && Arrays.equals(floats, other.floats)
        && Arrays.equals(ints, other.ints);
  }

  /** A copy whose value at {@code index} is changed: for tamper tests and fault injection. */
  public HostTensor withChangedValue(int index) {
    if (dtype == DType.FLOAT32) {
      float[] copy = floats.clone();
      copy[index] = copy[index] + 1.0f;
      return of(copy, shape);
    }
    int[] copy = ints.clone();
    copy[index] = copy[index] ^ 1;
    return ofInts(copy, shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostTensor t && sameAs(t);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shape) * 31 + Arrays.hashCode(floats) + Arrays.hashCode(ints);
  }

  @Override
  public String toString() {
    return "HostTensor[" + dtype + " " + Arrays.toString(shape) + "]";
  }
}
