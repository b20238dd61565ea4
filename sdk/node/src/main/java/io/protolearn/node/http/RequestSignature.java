package io.protolearn.node.http;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Bytes32;
import io.protolearn.protocol.crypto.Keccak;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The signing scheme of node-to-node requests. The sender signs, with its node key (secp256k1,
 * Ethereum-style 65-byte signature), the digest
 *
 * <pre>
 * keccak256( "protolearn-request-v2\n" CHAIN_ID "\n" RECIPIENT "\n" METHOD "\n" URI "\n"
 *            TIMESTAMP "\n" NONCE "\n" || sha256(body) )
 * </pre>
 *
 * where CHAIN_ID is the decimal chain id of the run's chain, RECIPIENT the address of the node the
 * request is for (0x and 40 lowercase hex digits), URI the request target as sent (path and query,
 * {@link #target}), TIMESTAMP the sender's clock in unix milliseconds and NONCE 16 random bytes in
 * hex, and sends them in the {@code X-Protolearn-*} headers below. The receiver recovers the signer
 * from the signature over its own chain id and address (DESIGN §13 v2: a request a validator sent
 * to one miner, or on another chain, does not verify at another miner or on this chain), bounds the
 * clock skew and refuses any digest it has already seen.
 */
public final class RequestSignature {
  public static final String SIGNER = "X-Protolearn-Signer";
  public static final String TIMESTAMP = "X-Protolearn-Timestamp";
  public static final String NONCE = "X-Protolearn-Nonce";
  public static final String SIGNATURE = "X-Protolearn-Signature";
  public static final int NONCE_BYTES = 16;

  private static final String DOMAIN = "protolearn-request-v2\n";

  /** Whom a request is for: the node with address {@code recipient} on chain {@code chainId}. */
  public record Audience(long chainId, Address recipient) {
    public Audience {
      if (chainId <= 0 || recipient == null) {
        throw new IllegalArgumentException("an audience needs a positive chain id and an address");
      }
    }
  }

  private RequestSignature() {}

  public static Bytes32 digest(
      Audience to, String method, String uri, long timestampMillis, String nonceHex, byte[] body) {
    String head =
        DOMAIN
            + to.chainId()
            + "\n"
            + to.recipient().toHex().toLowerCase(Locale.ROOT)
            + "\n"
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

  /**
   * The request target that is signed, the same for the sender and the receiver: the path and query
   * of an absolute URL as the client puts them on the request line ("/" for an empty path, no
   * fragment), and the request line's target as it came ("/v1/x?y") unchanged, an absolute-form one
   * reduced to its path and query the same way.
   *
   * @throws IllegalArgumentException when {@code uriOrUrl} is neither
   */
  public static String target(String uriOrUrl) {
    if (uriOrUrl.startsWith("/")) {
      return uriOrUrl;
    }
    URI uri = URI.create(uriOrUrl);
    if (!uri.isAbsolute()) {
      throw new IllegalArgumentException("not an absolute URL or a request target: " + uriOrUrl);
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  public static byte[] sha256(byte[] body) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
