package io.protolearn.cli.config;

/** A configuration mistake (unreadable config file, unknown key, bad value); one clear line. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
