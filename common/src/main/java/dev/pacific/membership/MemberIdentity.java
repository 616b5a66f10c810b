package dev.pacific.membership;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Who this JVM is, as the launcher told it: read from {@code pacific.member} in the merged
 * configuration (flags override {@code reference.conf}).
 */
public record MemberIdentity(
    String name, String role, String host, int remotingPort, int httpPort, Path dataDir, Instant startedAt) {

  public static MemberIdentity fromConfig(Config config) {
    Config m = config.getConfig("pacific.member");
    return new MemberIdentity(
        m.getString("name"),
        m.getString("role"),
        m.getString("host"),
        config.getInt("pekko.remote.artery.canonical.port"),
        m.getInt("http-port"),
        Path.of(m.getString("data-dir")),
        Instant.now());
  }

  public MemberCard card(Map<String, String> capacity, Map<String, String> labels) {
    return new MemberCard(name, role, host, remotingPort, httpPort, capacity, labels, startedAt.toString());
  }
}
