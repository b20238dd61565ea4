package io.protolearn.node.http;

import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Hex;
import io.protolearn.protocol.crypto.Secp256k1;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs outgoing node-to-node requests with the node's key, for one recipient on the run's chain
 * ({@link RequestSignature}).
 */
public final class RequestSigner {
  private final Secp256k1.KeyPair key;
  private final long chainId;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public RequestSigner(Secp256k1.KeyPair key, long chainId, Clock clock) {
    if (chainId <= 0) {
      throw new IllegalArgumentException("chain id must be positive: " + chainId);
    }
    this.key = key;
    this.chainId = chainId;
    this.clock = clock;
  }

  public RequestSigner(Secp256k1.KeyPair key, long chainId) {
    this(key, chainId, Clock.systemUTC());
  }

  public Address address() {
    return key.address();
  }

  /**
   * The four signature headers for a request to the node {@code recipient} with this method, URL
   * (absolute, or its target "/path?query": {@link RequestSignature#target}) and body.
   */
  public Map<String, String> headers(Address recipient, String method, String url, byte[] body) {
    String target = RequestSignature.target(url);
    long now = clock.millis();
    byte[] nonce = new byte[RequestSignature.NONCE_BYTES];
    random.nextBytes(nonce);
    String nonceHex = Hex.encode(nonce);
    byte[] sig =
        Secp256k1.sign(
            RequestSignature.digest(
                new RequestSignature.Audience(chainId, recipient),
                method,
                target,
                now,
                nonceHex,
                body),
            key);
    Map<String, String> h = new LinkedHashMap<>();
    h.put(RequestSignature.SIGNER, key.address().toHex());
    h.put(RequestSignature.TIMESTAMP, Long.toString(now));
    h.put(RequestSignature.NONCE, nonceHex);
    h.put(RequestSignature.SIGNATURE, Hex.encode(sig));
    return h;
  }
}
