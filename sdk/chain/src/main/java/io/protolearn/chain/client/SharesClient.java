package io.protolearn.chain.client;

import io.protolearn.chain.contracts.ModelShares;
import io.protolearn.chain.tx.TxSender;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/** The run's model shares: ERC-20 with ERC-2612 permit and ERC-5805 votes. */
public final class SharesClient {
  private final TxSender tx;
  private final ModelShares contract;

  SharesClient(TxSender tx, ModelShares contract) {
    this.tx = tx;
    this.contract = contract;
  }

  public String address() {
    return contract.getContractAddress();
  }

  private TransactionReceipt send(RemoteFunctionCall<?> call) {
    return ProtocolClient.send(tx, contract.getContractAddress(), call);
  }

  private <T> T view(RemoteFunctionCall<T> call) {
    return ProtocolClient.view(tx, contract.getContractAddress(), call);
  }

  public BigInteger balanceOf(String account) {
    return view(contract.balanceOf(account));
  }

  public BigInteger totalSupply() {
    return view(contract.totalSupply());
  }

  public BigInteger votes(String account) {
    return view(contract.getVotes(account));
  }

  public String delegates(String account) {
    return view(contract.delegates(account));
  }

  public TransactionReceipt transfer(String to, BigInteger amount) {
    return send(contract.transfer(to, amount));
  }

  public TransactionReceipt delegate(String delegatee) {
    return send(contract.delegate(delegatee));
  }

  public TransactionReceipt transferFrom(String from, String to, BigInteger amount) {
    return send(contract.transferFrom(from, to, amount));
  }

  public BigInteger allowance(String owner, String spender) {
    return view(contract.allowance(owner, spender));
  }

  /** An ERC-2612 permit signed by its owner, to be submitted by anyone. */
  public record Permit(
      String owner,
      String spender,
      BigInteger value,
      BigInteger deadline,
      Sign.SignatureData sig) {}

  /** Signs a permit with the owner's key (off chain; no transaction). */
  public Permit signPermit(
      Credentials owner, String spender, BigInteger value, BigInteger deadline, long chainId) {
    BigInteger nonce = view(contract.nonces(owner.getAddress()));
    byte[] domain = domainSeparator(chainId);
    byte[] struct =
        Hash.sha3(
            concat(
                Hash.sha3(
                    "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
                        .getBytes(StandardCharsets.UTF_8)),
                word(Numeric.toBigInt(owner.getAddress())),
                word(Numeric.toBigInt(spender)),
                word(value),
                word(nonce),
                word(deadline)));
    byte[] digest = Hash.sha3(concat(new byte[] {0x19, 0x01}, domain, struct));
    Sign.SignatureData sig = Sign.signMessage(digest, owner.getEcKeyPair(), false);
    return new Permit(owner.getAddress(), spender, value, deadline, sig);
  }

  public TransactionReceipt permit(Permit p) {
    return send(
        contract.permit(
            p.owner(),
            p.spender(),
            p.value(),
            p.deadline(),
            BigInteger.valueOf(p.sig().getV()[0] & 0xff),
            p.sig().getR(),
            p.sig().getS()));
  }

  /**
   * An ERC-5805 delegation signed by a holder, to be submitted by anyone ({@code delegateBySig}).
   */
  public record Delegation(
      String delegatee, BigInteger nonce, BigInteger expiry, Sign.SignatureData sig) {}

  /**
   * Signs, off chain, a delegation of the holder's votes to {@code delegatee} valid until {@code
   * expiry} (unix seconds); anyone can submit it with {@link #delegateBySig}, so a holder whose
   * account is busy (a node sending its own transactions) or holds no gas can still delegate.
   */
  public Delegation signDelegation(
      Credentials holder, String delegatee, BigInteger expiry, long chainId) {
    BigInteger nonce = view(contract.nonces(holder.getAddress()));
    byte[] struct =
        Hash.sha3(
            concat(
                Hash.sha3(
                    "Delegation(address delegatee,uint256 nonce,uint256 expiry)"
                        .getBytes(StandardCharsets.UTF_8)),
                word(Numeric.toBigInt(delegatee)),
                word(nonce),
                word(expiry)));
    byte[] digest = Hash.sha3(concat(new byte[] {0x19, 0x01}, domainSeparator(chainId), struct));
    return new Delegation(
        delegatee, nonce, expiry, Sign.signMessage(digest, holder.getEcKeyPair(), false));
  }

  /** Submits a signed delegation (the sender pays the gas; the signer's votes move). */
  public TransactionReceipt delegateBySig(Delegation d) {
    return send(
        contract.delegateBySig(
            d.delegatee(),
            d.nonce(),
            d.expiry(),
            BigInteger.valueOf(d.sig().getV()[0] & 0xff),
            d.sig().getR(),
            d.sig().getS()));
  }

  private byte[] domainSeparator(long chainId) {
    String name = view(contract.name());
    return Hash.sha3(
        concat(
            Hash.sha3(
                "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                    .getBytes(StandardCharsets.UTF_8)),
            Hash.sha3(name.getBytes(StandardCharsets.UTF_8)),
            Hash.sha3("1".getBytes(StandardCharsets.UTF_8)),
            word(BigInteger.valueOf(chainId)),
            word(Numeric.toBigInt(contract.getContractAddress()))));
  }

  private static byte[] word(BigInteger v) {
    return Numeric.toBytesPadded(v, 32);
  }

  private static byte[] concat(byte[]... parts) {
    int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
