package io.protolearn.chain.client;

/** Told of every JSON-RPC call a {@link ProtocolClient} made: its method and how long it took. */
@FunctionalInterface
public interface RpcListener {
  RpcListener NONE = (method, seconds, ok) -> {};

  /**
   * @param method the JSON-RPC method ({@code eth_call}, ...; {@code batch} or {@code unknown} when
   *     there is not one)
   * @param ok whether an HTTP answer came back with a 2xx status
   */
  void completed(String method, double seconds, boolean ok);
}
