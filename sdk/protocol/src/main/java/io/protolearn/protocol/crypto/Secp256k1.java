package io.protolearn.protocol.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.custom.sec.SecP256K1Curve;

/**
 * secp256k1 keys and Ethereum-style recoverable signatures (r || s || v with v = 27 or 28, low s),
 * deterministic per RFC 6979.
 */
public final class Secp256k1 {
  private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
  private static final ECDomainParameters CURVE =
      new ECDomainParameters(PARAMS.getCurve(), PARAMS.getG(), PARAMS.getN(), PARAMS.getH());
  private static final BigInteger HALF_N = PARAMS.getN().shiftRight(1);

  private Secp256k1() {}

  /** A key pair; the private key never appears in toString. */
  public record KeyPair(BigInteger privateKey, byte[] publicKey, Address address) {
    public KeyPair {
      publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }

    @Override
    public String toString() {
      return "KeyPair[" + address + "]";
    }
  }

  public static KeyPair generate(SecureRandom random) {
    BigInteger d;
    do {
      d = new BigInteger(256, random);
    } while (d.signum() == 0 || d.compareTo(PARAMS.getN()) >= 0);
    return fromPrivateKey(d);
  }

  public static KeyPair fromPrivateKey(BigInteger privateKey) {
    if (privateKey.signum() <= 0 || privateKey.compareTo(PARAMS.getN()) >= 0) {
      throw new IllegalArgumentException("private key out of range");
    }
    ECPoint q = new FixedPointCombMultiplier().multiply(CURVE.getG(), privateKey).normalize();
    byte[] encoded = q.getEncoded(false);
    byte[] pub = Arrays.copyOfRange(encoded, 1, 65);
    return new KeyPair(privateKey, pub, Address.fromPublicKey(pub));
  }

  public static KeyPair fromPrivateKeyHex(String hex) {
    return fromPrivateKey(new BigInteger(1, Hex.decode32(hex)));
  }

  /** Signs a 32-byte digest; returns 65 bytes r || s || v. */
  public static byte[] sign(Bytes32 digest, KeyPair key) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(key.privateKey(), CURVE));
    BigInteger[] rs = signer.generateSignature(digest.bytes());
    BigInteger r = rs[0];
    BigInteger s = rs[1];
    if (s.compareTo(HALF_N) > 0) {
      s = PARAMS.getN().subtract(s);
    }
    for (int recId = 0; recId < 2; recId++) {
      Optional<byte[]> pub = recoverPublicKey(recId, r, s, digest.bytes());
      if (pub.isPresent() && Arrays.equals(pub.get(), key.publicKey())) {
        byte[] sig = new byte[65];
        System.arraycopy(AbiEncoder.uint256Word(r), 0, sig, 0, 32);
        System.arraycopy(AbiEncoder.uint256Word(s), 0, sig, 32, 32);
        sig[64] = (byte) (27 + recId);
        return sig;
      }
    }
    throw new IllegalStateException("could not compute the recovery id");
  }

  /** The signer of a 65-byte signature over a digest, or empty if the signature is invalid. */
  public static Optional<Address> recover(Bytes32 digest, byte[] signature) {
    if (signature == null || signature.length != 65) {
      return Optional.empty();
    }
    int v = signature[64] & 0xff;
    int recId = v >= 27 ? v - 27 : v;
    if (recId != 0 && recId != 1) {
      return Optional.empty();
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    if (r.signum() == 0
        || s.signum() == 0
        || r.compareTo(PARAMS.getN()) >= 0
        || s.compareTo(HALF_N) > 0) {
      return Optional.empty();
    }
    return recoverPublicKey(recId, r, s, digest.bytes()).map(Address::fromPublicKey);
  }

  private static Optional<byte[]> recoverPublicKey(
      int recId, BigInteger r, BigInteger s, byte[] msg) {
    BigInteger n = CURVE.getN();
    BigInteger prime = SecP256K1Curve.q;
    if (r.compareTo(prime) >= 0) {
      return Optional.empty();
    }
    byte[] compressed = new byte[33];
    compressed[0] = (byte) (recId == 1 ? 0x03 : 0x02);
    System.arraycopy(AbiEncoder.uint256Word(r), 0, compressed, 1, 32);
    ECPoint rPoint;
    try {
      rPoint = CURVE.getCurve().decodePoint(compressed);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    BigInteger e = new BigInteger(1, msg);
    BigInteger eInv = BigInteger.ZERO.subtract(e).mod(n);
    BigInteger rInv = r.modInverse(n);
    BigInteger srInv = rInv.multiply(s).mod(n);
    BigInteger eInvrInv = rInv.multiply(eInv).mod(n);
    ECPoint q = ECAlgorithms.sumOfTwoMultiplies(CURVE.getG(), eInvrInv, rPoint, srInv).normalize();
    if (q.isInfinity()) {
      return Optional.empty();
    }
    byte[] encoded = q.getEncoded(false);
    return Optional.of(Arrays.copyOfRange(encoded, 1, 65));
  }
}
