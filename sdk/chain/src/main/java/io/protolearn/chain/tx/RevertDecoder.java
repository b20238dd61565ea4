package io.protolearn.chain.tx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Decodes revert data into the contracts' custom errors, using the {@code error} entries of the
 * ABIs bundled with this module (copied from the Hardhat artifacts at build time).
 */
public final class RevertDecoder {
  /** Every contract's ABI, bundled from the Hardhat artifacts at build time. */
  public static final String BUNDLED = "/io/protolearn/chain/abi/protolearn-abis.json";

  private static final RevertDecoder DEFAULT = fromBundledAbis();

  private record ErrorDef(String name, List<String> types) {}

  private final Map<String, ErrorDef> bySelector;

  private RevertDecoder(Map<String, ErrorDef> bySelector) {
    this.bySelector = bySelector;
  }

  public static RevertDecoder standard() {
    return DEFAULT;
  }

  /** Reads every {@code error} of the given ABI JSON arrays (or Hardhat artifacts). */
  public static RevertDecoder fromAbis(List<JsonNode> abis) {
    Map<String, ErrorDef> map = new HashMap<>();
    map.put("0x08c379a0", new ErrorDef("Error", List.of("string")));
    map.put("0x4e487b71", new ErrorDef("Panic", List.of("uint256")));
    for (JsonNode abi : abis) {
      JsonNode entries = abi.has("abi") ? abi.get("abi") : abi;
      for (JsonNode e : entries) {
        if (!"error".equals(e.path("type").asText())) {
          continue;
        }
        List<String> types = new ArrayList<>();
        e.path("inputs").forEach(in -> types.add(canonicalType(in)));
        String signature = e.get("name").asText() + "(" + String.join(",", types) + ")";
        String selector = Hash.sha3String(signature).substring(0, 10);
        map.put(selector, new ErrorDef(e.get("name").asText(), types));
      }
    }
    return new RevertDecoder(map);
  }

  private static RevertDecoder fromBundledAbis() {
    try (InputStream in = RevertDecoder.class.getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException("missing bundled ABIs " + BUNDLED);
      }
      JsonNode all =
          new ObjectMapper().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      List<JsonNode> abis = new ArrayList<>();
      all.elements().forEachRemaining(abis::add);
      return fromAbis(abis);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String canonicalType(JsonNode input) {
    String type = input.get("type").asText();
    if (type.startsWith("tuple")) {
      List<String> inner = new ArrayList<>();
      input.get("components").forEach(c -> inner.add(canonicalType(c)));
      return "(" + String.join(",", inner) + ")" + type.substring("tuple".length());
    }
    return type;
  }

  /** Decodes revert data (0x-hex). Unknown selectors decode as {@code Unknown(data)}. */
  public ProtocolRevertException decode(String data) {
    if (data == null || data.length() < 10) {
      return new ProtocolRevertException("Unknown", List.of(), data == null ? "" : data);
    }
    String selector = data.substring(0, 10).toLowerCase();
    ErrorDef def = bySelector.get(selector);
    if (def == null) {
      return new ProtocolRevertException("Unknown", List.of(data), data);
    }
    List<Object> args = new ArrayList<>();
    try {
      List<TypeReference<Type>> refs = new ArrayList<>();
      for (String t : def.types()) {
        refs.add(TypeReference.makeTypeReference(t));
      }
      List<Type> decoded = FunctionReturnDecoder.decode("0x" + data.substring(10), refs);
      for (Type<?> t : decoded) {
        Object v = t.getValue();
        args.add(v instanceof byte[] b ? Numeric.toHexString(b) : v);
      }
    } catch (ClassNotFoundException | RuntimeException e) {
      args.add(data);
    }
    return new ProtocolRevertException(def.name(), args, data);
  }
}
