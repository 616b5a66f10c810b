package dev.pacific.controlplane.podcache;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code pacific.pod-cache} in reference.conf; every key is explained there. */
public record PodCacheSettings(Duration catchUpTimeout, int departuresKept, int pageSize, Duration relistBackoff) {

  public static PodCacheSettings fromConfig(Config config) {
    Config c = config.getConfig("pacific.pod-cache");
    return new PodCacheSettings(c.getDuration("catch-up-timeout"), c.getInt("departures-kept"), c.getInt("page-size"),
        c.getDuration("relist-backoff"));
  }
}
