package dev.pacific.deploy.launcher;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One member as {@code cluster.json} records it (CONTRACT.md): enough to start it again with
 * the same flags, ports and data directory. {@code pid} is that of its last start.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemberSpec(
    String name, String role, long pid, int httpPort, int remotingPort, String dataDir, String log) {

  public MemberSpec withPid(long newPid) {
    return new MemberSpec(name, role, newPid, httpPort, remotingPort, dataDir, log);
  }
}
