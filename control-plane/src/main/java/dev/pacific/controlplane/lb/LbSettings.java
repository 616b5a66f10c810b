package dev.pacific.controlplane.lb;

import com.typesafe.config.Config;
import java.time.Duration;

/** Typed view of {@code pacific.lb} (see control-plane's reference.conf for each key). */
public record LbSettings(
    String host,
    int port,
    int backlog,
    Duration probeInterval,
    Duration probeTimeout,
    Duration connectTimeout,
    Duration idleTimeout,
    Duration pickTimeout) {

  public static LbSettings fromConfig(Config config) {
    Config c = config.getConfig("pacific.lb");
    return new LbSettings(
        c.getString("host"),
        c.getInt("port"),
        c.getInt("backlog"),
        c.getDuration("probe-interval"),
        c.getDuration("probe-timeout"),
        c.getDuration("connect-timeout"),
        c.getDuration("idle-timeout"),
        c.getDuration("pick-timeout"));
  }

  public LbSettings withPort(int newPort) {
    return new LbSettings(host, newPort, backlog, probeInterval, probeTimeout, connectTimeout, idleTimeout, pickTimeout);
  }
}
