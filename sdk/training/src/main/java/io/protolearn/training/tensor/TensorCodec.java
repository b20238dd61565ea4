package io.protolearn.training.tensor;

import io.protolearn.protocol.crypto.Bytes32;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical encoding of tensors (DESIGN.md §4) and its SHA-256.
 *
 * <pre>
 * tensor := u8 dtype (1 float32, 2 int32) || u8 rank || rank x u64 LE dims || values LE
 * list   := u32 LE count || tensor*
 * </pre>
 *
 * Hashing streams the encoding through one MessageDigest in 64 KiB chunks; nothing is materialized.
 */
public final class TensorCodec {
  private static final int CHUNK = 1 << 16;
  private static final ThreadLocal<ByteBuffer> BUFFER =
      ThreadLocal.withInitial(
          () -> ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN));

  private TensorCodec() {}

  public static Bytes32 hash(HostTensor tensor) {
    MessageDigest md = sha256();
    update(md, tensor);
    return new Bytes32(md.digest());
  }

  public static Bytes32 hashList(List<HostTensor> tensors) {
    MessageDigest md = sha256();
    md.update(u32(tensors.size()));
    for (HostTensor t : tensors) {
      update(md, t);
    }
    return new Bytes32(md.digest());
  }

  /** Feeds the canonical encoding of a tensor to a digest. */
  public static void update(MessageDigest md, HostTensor t) {
    md.update(header(t));
    ByteBuffer buf = BUFFER.get();
    int n = t.size();
    int perChunk = CHUNK / 4;
    for (int off = 0; off < n; off += perChunk) {
      int len = Math.min(perChunk, n - off);
      buf.clear();
      if (t.dtype() == HostTensor.DType.FLOAT32) {
        buf.asFloatBuffer().put(t.floats(), off, len);
      } else {
        buf.asIntBuffer().put(t.ints(), off, len);
      }
      buf.limit(len * 4);
      md.update(buf);
    }
  }

  public static byte[] encode(HostTensor t) {
    byte[] header = header(t);
    ByteBuffer out =
        ByteBuffer.allocate(header.length + t.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
    out.put(header);
    if (t.dtype() == HostTensor.DType.FLOAT32) {
      out.asFloatBuffer().put(t.floats());
    } else {
      out.asIntBuffer().put(t.ints());
    }
    return out.array();
  }

  public static byte[] encodeList(List<HostTensor> tensors) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(u32(tensors.size()));
    for (HostTensor t : tensors) {
      out.writeBytes(encode(t));
    }
    return out.toByteArray();
  }

  /** Decodes one tensor; throws IllegalArgumentException on malformed bytes. */
  public static HostTensor decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    HostTensor t = read(in);
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("trailing bytes after tensor");
    }
    return t;
  }

  public static List<HostTensor> decodeList(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    List<HostTensor> list = readList(in);
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("trailing bytes after tensor list");
    }
    return list;
  }

  static List<HostTensor> readList(ByteBuffer in) {
    int count = in.getInt();
    if (count < 0 || count > 1 << 20) {
      throw new IllegalArgumentException("bad tensor count " + count);
    }
    List<HostTensor> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      list.add(read(in));
    }
    return list;
  }

  static HostTensor read(ByteBuffer in) {
    try {
      HostTensor.DType dtype = HostTensor.DType.ofCode(in.get() & 0xff);
      int rank = in.get() & 0xff;
      long[] shape = new long[rank];
      for (int i = 0; i < rank; i++) {
        shape[i] = in.getLong();
      }
      long n = HostTensor.numel(shape);
      if (n * 4 > in.remaining()) {
        throw new IllegalArgumentException("tensor shorter than its shape");
      }
      if (dtype == HostTensor.DType.FLOAT32) {
        float[] v = new float[(int) n];
        in.asFloatBuffer().get(v);
        in.position(in.position() + (int) n * 4);
        return HostTensor.of(v, shape);
      }
      int[] v = new int[(int) n];
      in.asIntBuffer().get(v);
      in.position(in.position() + (int) n * 4);
      return HostTensor.ofInts(v, shape);
    } catch (java.nio.BufferUnderflowException | ArithmeticException e) {
      throw new IllegalArgumentException("truncated tensor", e);
    }
  }

  private static byte[] header(HostTensor t) {
    ByteBuffer h = ByteBuffer.allocate(2 + 8 * t.shape().length).order(ByteOrder.LITTLE_ENDIAN);
    h.put((byte) t.dtype().code()).put((byte) t.shape().length);
    for (long d : t.shape()) {
      h.putLong(d);
    }
    return h.array();
  }

  private static byte[] u32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
