package io.protolearn.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A port nobody listened on a moment ago. Only for what must be named before anything binds it: an
 * address that must refuse connections, or an endpoint registered on chain before its node starts.
 * Everything else binds port 0 and reports the port it got (see {@code LocalChainExtension}).
 */
public final class Ports {
  private Ports() {}

  /** A loopback port that was free when this returned (another process may take it since). */
  public static int unused() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
