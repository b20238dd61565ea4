package io.protolearn.cli.keystore;

/**
 * A keystore that cannot be created or unlocked: missing file, wrong password, malformed JSON. The
 * message is one line meant for the operator and never contains a key or a password.
 */
public final class KeystoreException extends RuntimeException {
  public KeystoreException(String message) {
    super(message);
  }

  public KeystoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
