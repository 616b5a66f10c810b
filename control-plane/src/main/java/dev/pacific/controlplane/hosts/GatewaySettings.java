package dev.pacific.controlplane.hosts;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code pacific.hosts.gateway} in reference.conf; every key is explained there. */
public record GatewaySettings(Duration leaseTtl, Duration registerRetryAfter, long listChunkBytes,
                              Duration bookmarkInterval) {

  public static GatewaySettings fromConfig(Config config) {
    Config c = config.getConfig("pacific.hosts.gateway");
    return new GatewaySettings(c.getDuration("lease-ttl"), c.getDuration("register-retry-after"),
        c.getBytes("list-chunk-bytes"), c.getDuration("bookmark-interval"));
  }
}
