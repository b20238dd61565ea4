package io.protolearn.cli.keystore;

/**
 * How hard the keystore's scrypt key derivation is. {@link #STANDARD} is what geth and web3j write
 * by default (n = 2^18, about a second and 256 MiB per unlock); {@link #LIGHT} (n = 2^12) is for
 * devnets and tests only, where keys hold no value and every command unlocks one.
 */
public enum KdfStrength {
  STANDARD,
  LIGHT
}
