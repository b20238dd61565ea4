package io.protolearn.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.leaf.StepLeaf;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads golden vectors produced by the JavaScript reference implementations. */
public final class Golden {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Golden() {}

  public static JsonNode resource(String name) {
    try (InputStream in = Golden.class.getResourceAsStream("/vectors/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test vector " + name);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file of the repository, found through the protolearn.root system property. */
  public static JsonNode repoFile(String relativePath) {
    String root = System.getProperty("protolearn.root", "../..");
    Path path = Path.of(root).resolve(relativePath);
    try {
      return JSON.readTree(Files.readString(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /** A leaf from its 14 values as strings (decimal numbers, 0x hex address and hashes). */
  public static StepLeaf leaf(JsonNode v) {
    return new StepLeaf(
        Long.parseLong(v.get(0).asText()),
        Long.parseLong(v.get(1).asText()),
        Address.fromHex(v.get(2).asText()),
        Integer.parseInt(v.get(3).asText()),
        Integer.parseInt(v.get(4).asText()),
        Integer.parseInt(v.get(5).asText()),
        b(v, 6),
        b(v, 7),
        b(v, 8),
        b(v, 9),
        b(v, 10),
        b(v, 11),
        b(v, 12),
        b(v, 13));
  }

  private static Bytes32 b(JsonNode v, int i) {
    return Bytes32.fromHex(v.get(i).asText());
  }
}
