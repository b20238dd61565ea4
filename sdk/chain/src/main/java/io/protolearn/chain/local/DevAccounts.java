package io.protolearn.chain.local;

import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.MnemonicUtils;

/** The development accounts a local node funds: BIP-44 m/44'/60'/0'/0/i of its mnemonic. */
public final class DevAccounts {
  private static final int HARDENED = 0x80000000;

  private DevAccounts() {}

  public static List<Credentials> derive(String mnemonic, int count) {
    byte[] seed = MnemonicUtils.generateSeed(mnemonic, "");
    Bip32ECKeyPair master = Bip32ECKeyPair.generateKeyPair(seed);
    List<Credentials> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int[] path = {44 | HARDENED, 60 | HARDENED, HARDENED, 0, i};
      out.add(Credentials.create(Bip32ECKeyPair.deriveKeyPair(master, path)));
    }
    return out;
  }

  public static List<Credentials> anvil(int count) {
    return derive(AnvilNode.DEV_MNEMONIC, count);
  }
}
