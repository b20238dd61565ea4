package io.protolearn.chain.client;

import static io.protolearn.chain.client.Convert.big;

import io.protolearn.chain.contracts.StakeManager;
import io.protolearn.chain.model.StakeAccount;
import io.protolearn.chain.tx.TxSender;
import java.math.BigInteger;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** Stake in native ETH for one run: stake, unbond (stays slashable), withdraw. */
public final class StakingClient {
  private final TxSender tx;
  private final StakeManager contract;
  private final long runId;

  StakingClient(TxSender tx, StakeManager contract, long runId) {
    this.tx = tx;
    this.contract = contract;
    this.runId = runId;
  }

  public TransactionReceipt stake(BigInteger wei) {
    return tx.send(
        contract.getContractAddress(), contract.stake(big(runId), wei).encodeFunctionCall(), wei);
  }

  public TransactionReceipt requestUnbond(BigInteger wei) {
    return ProtocolClient.send(
        tx, contract.getContractAddress(), contract.requestUnbond(big(runId), wei));
  }

  public TransactionReceipt withdraw() {
    return ProtocolClient.send(tx, contract.getContractAddress(), contract.withdraw(big(runId)));
  }

  public StakeAccount account(String account) {
    return Convert.stakeAccount(
        ProtocolClient.view(
            tx, contract.getContractAddress(), contract.accountOf(big(runId), account)));
  }

  public BigInteger stakeOf(String account) {
    return ProtocolClient.view(
        tx, contract.getContractAddress(), contract.stakeOf(big(runId), account));
  }

  public boolean evidenceUsed(byte[] evidenceHash) {
    return ProtocolClient.view(
        tx, contract.getContractAddress(), contract.evidenceUsed(evidenceHash));
  }

  public String address() {
    return contract.getContractAddress();
  }
}
