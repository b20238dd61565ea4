package io.protolearn.node.cli;

import io.protolearn.cli.UserException;
import java.net.URI;
import java.net.URISyntaxException;

/** Checks the endpoint a node registers on chain, where its peers will reach it. */
public final class Endpoints {
  public static final int MAX_LENGTH = 256;

  private Endpoints() {}

  /** An absolute http(s) URL with a host, without user info, query or fragment. */
  public static String check(String endpoint) {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw new UserException("--endpoint is not a URL: '" + endpoint + "'");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null
        || uri.getUserInfo() != null
        || uri.getQuery() != null
        || uri.getFragment() != null
        || endpoint.length() > MAX_LENGTH) {
      throw new UserException(
          "--endpoint must be an http(s) URL with a host (like http://203.0.113.5:9000), got '"
              + endpoint
              + "'");
    }
    return endpoint;
  }
}
