package dev.pacific.deploy.launcher;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One member as {@code cluster.json} records it (CONTRACT.md): enough to start it again with
 * the same flags, ports and data directory. {@code pid} is that of its last start;
 * {@code hasRun} is true once it has answered at least once, so that a control-plane member
 * whose quorum data then vanishes refuses to rejoin under its old name.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemberSpec(
    String name, String role, long pid, int httpPort, int remotingPort, String dataDir, String log,
    boolean hasRun) {

  public MemberSpec(String name, String role, long pid, int httpPort, int remotingPort, String dataDir, String log) {
    this(name, role, pid, httpPort, remotingPort, dataDir, log, false);
  }

  public MemberSpec withPid(long newPid) {
    return new MemberSpec(name, role, newPid, httpPort, remotingPort, dataDir, log, hasRun);
  }

  public MemberSpec ran() {
    return new MemberSpec(name, role, pid, httpPort, remotingPort, dataDir, log, true);
  }
}
