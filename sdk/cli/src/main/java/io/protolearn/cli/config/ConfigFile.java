package io.protolearn.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A config file: option names without their dashes as keys ({@code rpc-url=http://...}), either a
 * Java properties file or, for a {@code .json} file, one JSON object of scalars (arrays become
 * comma-separated lists).
 */
public final class ConfigFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigFile() {}

  public static Map<String, String> load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("no config file at " + file);
    }
    try {
      return file.getFileName().toString().endsWith(".json") ? json(file) : properties(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
  }

  private static Map<String, String> properties(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : p.stringPropertyNames()) {
      out.put(key.strip(), p.getProperty(key).strip());
    }
    return out;
  }

  private static Map<String, String> json(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new ConfigException(
          "config file " + file + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException("config file " + file + " must hold one JSON object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      out.put(f.getKey(), scalar(file, f.getKey(), f.getValue()));
    }
    return out;
  }

  private static String scalar(Path file, String key, JsonNode v) {
    if (v.isValueNode() && !v.isNull()) {
      return v.asText();
    }
    if (v.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : v) {
        if (!item.isValueNode() || item.isNull()) {
          throw new ConfigException("config file " + file + ": '" + key + "' must hold scalars");
        }
        items.add(item.asText());
      }
      return String.join(",", items);
    }
    throw new ConfigException(
        "config file " + file + ": '" + key + "' must be a string, number, boolean or list");
  }
}
