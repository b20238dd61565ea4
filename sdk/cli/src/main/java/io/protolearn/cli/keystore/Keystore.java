package io.protolearn.cli.keystore;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.protolearn.chain.files.DurableFiles;
import io.protolearn.protocol.crypto.Address;
import io.protolearn.protocol.crypto.Hex;
import io.protolearn.protocol.crypto.Secp256k1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;
import org.web3j.crypto.exception.CipherException;

/**
 * A node's signing key in the standard Ethereum keystore JSON (version 3, scrypt + AES-128-CTR), as
 * geth, web3j and MetaMask read and write it. Files are written atomically with owner-only
 * permissions, and an existing keystore is never overwritten.
 */
public final class Keystore {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Keystore() {}

  /** Creates a keystore holding a fresh random key; returns its address. */
  public static Address create(Path file, String password, KdfStrength strength) {
    Secp256k1.KeyPair key = Secp256k1.generate(new SecureRandom());
    return write(file, ECKeyPair.create(key.privateKey()), password, strength);
  }

  /** Creates a keystore holding the given private key (32 bytes of hex); returns its address. */
  public static Address importKey(
      Path file, String privateKeyHex, String password, KdfStrength strength) {
    BigInteger d;
    try {
      d = new BigInteger(1, Hex.decode32(privateKeyHex.strip()));
      Secp256k1.fromPrivateKey(d);
    } catch (IllegalArgumentException e) {
      throw new KeystoreException(
          "the key to import is not a secp256k1 private key (expected 32 bytes of hex)");
    }
    return write(file, ECKeyPair.create(d), password, strength);
  }

  /** Decrypts the keystore; a wrong password or a damaged file is a {@link KeystoreException}. */
  public static Credentials unlock(Path file, String password) {
    WalletFile wallet = read(file);
    try {
      return Credentials.create(Wallet.decrypt(password, wallet));
    } catch (CipherException e) {
      if (String.valueOf(e.getMessage()).contains("Invalid password")) {
        throw new KeystoreException("wrong password for keystore " + file);
      }
      throw new KeystoreException("cannot decrypt keystore " + file + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new KeystoreException("keystore " + file + " is damaged: " + e.getMessage());
    }
  }

  /** The address a keystore holds, read without unlocking it. */
  public static Address address(Path file) {
    WalletFile wallet = read(file);
    try {
      return Address.fromHex(wallet.getAddress());
    } catch (RuntimeException e) {
      throw new KeystoreException("keystore " + file + " names no valid address");
    }
  }

  private static WalletFile read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new KeystoreException("no keystore at " + file);
    }
    try {
      WalletFile wallet = JSON.readValue(file.toFile(), WalletFile.class);
      if (wallet.getCrypto() == null || wallet.getAddress() == null) {
        throw new KeystoreException("keystore " + file + " is not an Ethereum keystore file");
      }
      return wallet;
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new KeystoreException(
          "keystore " + file + " is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new KeystoreException("cannot read keystore " + file + ": " + e.getMessage());
    }
  }

  private static Address write(Path file, ECKeyPair key, String password, KdfStrength strength) {
    if (password == null || password.isEmpty()) {
      throw new KeystoreException("refusing to create a keystore with an empty password");
    }
    Path abs = file.toAbsolutePath();
    if (Files.exists(abs)) {
      throw new KeystoreException("a keystore already exists at " + file + "; not overwriting it");
    }
    try {
      WalletFile wallet =
          strength == KdfStrength.LIGHT
              ? Wallet.createLight(password, key)
              : Wallet.createStandard(password, key);
      Files.createDirectories(abs.getParent());
      DurableFiles.writeSecret(abs, JSON.writeValueAsBytes(wallet));
      return Address.fromHex(wallet.getAddress());
    } catch (CipherException e) {
      throw new KeystoreException("cannot encrypt the key: " + e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      throw new KeystoreException("cannot write keystore " + file + ": " + e.getMessage());
    }
  }
}
