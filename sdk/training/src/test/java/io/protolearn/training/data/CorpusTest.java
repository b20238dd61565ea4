package io.protolearn.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.training.Fixtures;
import org.junit.jupiter.api.Test;

class CorpusTest {
  private final Corpus corpus = Fixtures.CORPUS;

  @Test
  void shouldUseTheCorpusSha256AsDataRoot() {
    assertThat(corpus.dataRoot())
        .isEqualTo("0xdfc684d4f857fa938268f9ab9c5567b64bd0691251eca959644adeabe6287a4d");
    assertThat(Corpus.forSpec(Fixtures.DATA).size()).isEqualTo(684_768);
  }

  @Test
  void shouldRebuildTheSameBatchFromPublicData() {
    Address miner = Fixtures.key(0).address();
    Batch a = corpus.batch(7, 3, 1, miner, 5, 4, 16);
    Batch b = Corpus.bundled(1000).batch(7, 3, 1, miner, 5, 4, 16);
    assertThat(a).isEqualTo(b);
    assertThat(a.inputs().shape()).containsExactly(4, 16);
    assertThat(a.labels().ints()[0]).isEqualTo(a.inputs().ints()[1]);
    assertThat(a.sampleIndex()).isLessThan(corpus.windows(4, 16));
  }

  @Test
  void shouldGiveEachLaneAndStepItsOwnWindow() {
    Address miner = Fixtures.key(0).address();
    long base = corpus.sampleIndex(7, 3, 1, miner, 5, 4, 16);
    assertThat(corpus.sampleIndex(7, 3, 2, miner, 5, 4, 16)).isNotEqualTo(base);
    assertThat(corpus.sampleIndex(7, 3, 1, Fixtures.key(1).address(), 5, 4, 16)).isNotEqualTo(base);
    assertThat(corpus.sampleIndex(7, 3, 1, miner, 6, 4, 16)).isNotEqualTo(base);
  }

  @Test
  void shouldKeepTheHeldOutSplitOutOfTrainingWindows() {
    Batch held = corpus.heldOut(2, 4, 16).get(0);
    assertThat(held.sampleIndex()).isEqualTo(corpus.trainLength());
    assertThat(corpus.windows(4, 16) + 4 * 16).isEqualTo(corpus.trainLength());
  }
}
