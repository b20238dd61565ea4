package io.protolearn.chain.tx;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;

class RevertDecoderTest {
  private final RevertDecoder decoder = RevertDecoder.standard();

  private static String encode(String signature, List<Type> args) {
    return Hash.sha3String(signature).substring(0, 10) + FunctionEncoder.encodeConstructor(args);
  }

  @Test
  void shouldDecodeACustomErrorOfTheBundledAbisWithItsArguments() {
    String data =
        encode(
            "RunManagerAlreadyCommitted(uint256,uint256,address)",
            List.of(
                new Uint256(1),
                new Uint256(7),
                new Address("0x2c7536e3605d9c16a7a3d7b1898e529396a65c23")));
    ProtocolRevertException e = decoder.decode(data);
    assertThat(e.errorName()).isEqualTo("RunManagerAlreadyCommitted");
    assertThat(e.args())
        .containsExactly(
            BigInteger.ONE, BigInteger.valueOf(7), "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23");
    assertThat(e.getMessage()).startsWith("RunManagerAlreadyCommitted(1, 7, 0x2c75");
  }

  @Test
  void shouldDecodeStringParametersOfErrors() {
    String data =
        encode(
            "RunManagerParamOutOfBounds(string,uint256,uint256,uint256)",
            List.of(
                new Utf8String("slashBps"),
                new Uint256(20_000),
                new Uint256(1),
                new Uint256(10_000)));
    ProtocolRevertException e = decoder.decode(data);
    assertThat(e.errorName()).isEqualTo("RunManagerParamOutOfBounds");
    assertThat(e.args().get(0)).isEqualTo("slashBps");
  }

  @Test
  void shouldDecodeRevertStringsAndUnknownSelectors() {
    assertThat(decoder.decode(encode("Error(string)", List.of(new Utf8String("nope")))).args())
        .containsExactly("nope");
    ProtocolRevertException unknown = decoder.decode("0xdeadbeef");
    assertThat(unknown.errorName()).isEqualTo("Unknown");
    assertThat(decoder.decode(null).errorName()).isEqualTo("Unknown");
  }
}
