package dev.pacific.controlplane.election;

import com.typesafe.config.Config;
import java.time.Duration;

/** Typed view of {@code pacific.election}. */
public record ElectionSettings(Duration ttl, Duration renewEvery, Duration requestTimeout) {

  public ElectionSettings {
    if (renewEvery.multipliedBy(2).compareTo(ttl) >= 0) {
      throw new IllegalArgumentException("pacific.election.renew-every (" + renewEvery
          + ") must be under half the TTL (" + ttl + "), or one lost renewal ends the term");
    }
  }

  public static ElectionSettings fromConfig(Config config) {
    Config c = config.getConfig("pacific.election");
    return new ElectionSettings(c.getDuration("ttl"), c.getDuration("renew-every"),
        c.getDuration("request-timeout"));
  }

  /**
   * How long after the last renewal was <em>sent</em> a leader may go on leading: the TTL less one
   * renewal period, so it stops before the quorum could expire the lease and elect another.
   */
  public Duration fence() {
    return ttl.minus(renewEvery);
  }
}
