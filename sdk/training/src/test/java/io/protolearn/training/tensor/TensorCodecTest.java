package io.protolearn.training.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Hex;
import io.protolearn.training.spec.CanonicalJson;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TensorCodecTest {

  @Test
  void shouldEncodeDtypeShapeAndLittleEndianValues() {
    HostTensor t = HostTensor.of(new float[] {1.0f, -2.0f}, 1, 2);
    assertThat(Hex.encode(TensorCodec.encode(t)))
        .isEqualTo("0x0102" + "0100000000000000" + "0200000000000000" + "0000803f" + "000000c0");
    HostTensor ids = HostTensor.ofInts(new int[] {258}, 1);
    assertThat(Hex.encode(TensorCodec.encode(ids)))
        .isEqualTo("0x0201" + "0100000000000000" + "02010000");
  }

  @Test
  void shouldHashTheCanonicalEncodingWithSha256() {
    float[] big = new float[100_000];
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < big.length; i++) {
      big[i] = (float) rng.nextGaussian();
    }
    HostTensor t = HostTensor.of(big, 1000, 100);
    List<HostTensor> list = List.of(t, HostTensor.ofInts(new int[] {1, 2, 3}, 3));
    assertThat(TensorCodec.hash(t))
        .isEqualTo(new Bytes32(CanonicalJson.sha256(TensorCodec.encode(t))));
    assertThat(TensorCodec.hashList(list))
        .isEqualTo(new Bytes32(CanonicalJson.sha256(TensorCodec.encodeList(list))));
    assertThat(TensorCodec.decodeList(TensorCodec.encodeList(list))).isEqualTo(list);
  }

  @Test
  void shouldRejectTruncatedBytes() {
    byte[] bytes = TensorCodec.encode(HostTensor.of(new float[] {1, 2, 3}, 3));
    assertThatThrownBy(() -> TensorCodec.decode(java.util.Arrays.copyOf(bytes, bytes.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
