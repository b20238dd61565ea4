package io.protolearn.devnet.demo;

import java.nio.file.Path;
import java.util.List;

/** One node of the demo: its name, role, stage, chain account, data folder and ports. */
public final class Participant {
  public final String name;
  public final String role;
  public final int stage;
  public final int account;
  public final Path dataDir;
  public String address;
  public int roundsCommitted;
  public String kind = "honest";
  public String nodeFlag;

  /** The port the node serves {@code /health/ready} on (a miner's public port). */
  public int port;

  public Participant(String name, String role, int stage, int account, Path dataDir) {
    this.name = name;
    this.role = role;
    this.stage = stage;
    this.account = account;
    this.dataDir = dataDir;
  }

  public boolean miner() {
    return role.equals("miner");
  }

  /** An honest node: the ones the demo's chaos may kill, and that must lose nothing. */
  public boolean honest() {
    return kind.startsWith("honest");
  }

  public Path log(Path nodes) {
    return nodes.resolve(name + ".log");
  }

  /** The name of the participant with that address, or the address. */
  public static String nameOf(List<Participant> people, String address) {
    return people.stream()
        .filter(p -> p.address.equalsIgnoreCase(address))
        .map(p -> p.name)
        .findFirst()
        .orElse(address);
  }
}
