package io.protolearn.miner.node;

import io.protolearn.chain.client.ProtocolClient;
import io.protolearn.chain.events.ChainEvent;
import io.protolearn.chain.events.EventFeed;
import io.protolearn.protocol.crypto.Address;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The copycat adversary ({@link Adversary.Copycat}): waits, until the commit deadline, for another
 * miner of its stage to commit the round on chain, and returns its own journal record with that
 * commitment's root, step count, delta and base hashes in place of its own. Its served leaves then
 * no longer match the root it committed.
 */
final class CopycatCommitment implements CommitmentChoice {
  private final ProtocolClient client;
  private final EventFeed events;
  private final Address me;
  private final LongSupplier latestBlock;
  private final BooleanSupplier stopping;
  private final Duration poll;

  CopycatCommitment(
      ProtocolClient client,
      Address me,
      LongSupplier latestBlock,
      BooleanSupplier stopping,
      Duration poll) {
    this.client = client;
    this.events = new EventFeed(client.web3j(), List.of(client.runs().address()));
    this.me = me;
    this.latestBlock = latestBlock;
    this.stopping = stopping;
    this.poll = poll;
  }

  @Override
  public RoundJournal.Trained choose(RoundJournal.Trained own, long from, long deadline) {
    long r = own.round();
    Set<String> peers =
        client.runs().minersAt(own.stage(), r).stream()
            .map(String::toLowerCase)
            .filter(m -> !Address.fromHex(m).equals(me))
            .collect(Collectors.toSet());
    while (!stopping.getAsBoolean() && latestBlock.getAsLong() < deadline) {
      Optional<ChainEvent.Committed> found =
          events.poll(from, latestBlock.getAsLong()).stream()
              .filter(e -> e instanceof ChainEvent.Committed)
              .map(e -> (ChainEvent.Committed) e)
              .filter(c -> c.round() == r)
              .filter(c -> peers.contains(c.miner().toLowerCase()))
              .findFirst();
      if (found.isPresent()) {
        ChainEvent.Committed c = found.get();
        return new RoundJournal.Trained(
            r,
            own.lane(),
            own.stage(),
            own.members(),
            c.commitment().root().toHex(),
            c.commitment().stepCount(),
            c.commitment().deltaHash().toHex(),
            c.commitment().baseHash().toHex(),
            own.meanLoss());
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return own; // nobody to copy in time: commit its own work
  }
}
