package io.protolearn.training.spec;

import io.protolearn.protocol.crypto.Bytes32;
import java.util.List;

/**
 * The architecture of a decoder-only transformer and its split into pipeline stages (DESIGN.md §2).
 * {@code stageLayers.get(s)} is the number of transformer blocks stage {@code s} owns; stage 0 also
 * owns the token and position embeddings, stage S-1 the final norm, the head and the loss.
 */
public record ModelSpec(
    int vocabSize,
    int dModel,
    int layers,
    int heads,
    int contextLength,
    int mlpHidden,
    List<Integer> stageLayers) {

  /** About 1.1M parameters: small enough for a 2-core CPU, split into two stages. */
  public static final ModelSpec DEFAULT = new ModelSpec(256, 128, 6, 4, 64, 256, List.of(3, 3));

  public ModelSpec {
    stageLayers = List.copyOf(stageLayers);
    if (vocabSize <= 0 || dModel <= 0 || layers <= 0 || heads <= 0 || contextLength <= 0) {
      throw new IllegalArgumentException("model sizes must be positive");
    }
    if (dModel % heads != 0) {
      throw new IllegalArgumentException("dModel must be a multiple of heads");
    }
    if (stageLayers.isEmpty() || stageLayers.stream().anyMatch(n -> n < 0)) {
      throw new IllegalArgumentException("stageLayers needs one non-negative count per stage");
    }
    if (stageLayers.stream().mapToInt(Integer::intValue).sum() != layers) {
      throw new IllegalArgumentException("stageLayers must add up to layers");
    }
  }

  public int stages() {
    return stageLayers.size();
  }

  /** Index of the first block of a stage. */
  public int firstLayer(int stage) {
    int first = 0;
    for (int s = 0; s < stage; s++) {
      first += stageLayers.get(s);
    }
    return first;
  }

  /** The same model split into one stage: the centralized baseline. */
  public ModelSpec singleStage() {
    return new ModelSpec(
        vocabSize, dModel, layers, heads, contextLength, mlpHidden, List.of(layers));
  }

  public Bytes32 hash() {
    return CanonicalJson.sha256(this);
  }
}
