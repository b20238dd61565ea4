package io.protolearn.node.http;

import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The signing scheme of node-to-node requests. The sender signs, with its node key (secp256k1,
 * Ethereum-style 65-byte signature), the digest
 *
 * <pre>
 * keccak256( "protolearn-request-v1\n" METHOD "\n" URI "\n" TIMESTAMP "\n" NONCE "\n"
 *            || sha256(body) )
 * </pre>
 *
 * where URI is the request target as sent (path and query), TIMESTAMP the sender's clock in unix
 * milliseconds and NONCE 16 random bytes in hex, and sends them in the {@code X-Protolearn-*}
 * headers below. The receiver recovers the signer from the signature, bounds the clock skew and
 * refuses any digest it has already seen.
 */
public final class RequestSignature {
  public static final String SIGNER = "X-Protolearn-Signer";
  public static final String TIMESTAMP = "X-Protolearn-Timestamp";
  public static final String NONCE = "X-Protolearn-Nonce";
  public static final String SIGNATURE = "X-Protolearn-Signature";
  public static final int NONCE_BYTES = 16;

  private static final String DOMAIN = "protolearn-request-v1\n";

  private RequestSignature() {}

  public static Bytes32 digest(
      String method, String uri, long timestampMillis, String nonceHex, byte[] body) {
    String head =
        DOMAIN
            + method.toUpperCase(Locale.ROOT)
            + "\n"
            + uri
            + "\n"
            + timestampMillis
            + "\n"
            + nonceHex.toLowerCase(Locale.ROOT)
            + "\n";
    return new Bytes32(Keccak.keccak256(head.getBytes(StandardCharsets.UTF_8), sha256(body)));
  }

  public static byte[] sha256(byte[] body) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
