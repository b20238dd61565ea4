package io.protolearn.chain.gov;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.chain.deploy.RunConfig;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The SDK refuses what RunParams.validate refuses, with the same names, before any transaction. */
class ParamBoundsTest {
  @Test
  void shouldAcceptTheDevnetParameters() {
    assertThat(ParamBounds.violation(RunConfig.devnetParams())).isEmpty();
  }

  @Test
  void shouldRefuseAnEvenOrOutOfBoundsJurorCount() {
    var p = RunConfig.devnetParams();
    assertThat(ParamBounds.violation(ParamBounds.with(p, "jurorCount", BigInteger.valueOf(4))))
        .contains("jurorCount = 4 is even: a full jury must never tie");
    assertThat(ParamBounds.violation(ParamBounds.with(p, "jurorCount", BigInteger.valueOf(32))))
        .contains("jurorCount = 32 is outside [1, 31]");
    assertThat(ParamBounds.violation(ParamBounds.with(p, "jurorCount", BigInteger.valueOf(5))))
        .isEmpty();
  }
}
