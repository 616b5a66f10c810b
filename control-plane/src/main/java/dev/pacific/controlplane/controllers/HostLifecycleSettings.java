package dev.pacific.controlplane.controllers;

import com.typesafe.config.Config;
import java.time.Duration;

/** Typed view of {@code pacific.host-lifecycle}. */
public record HostLifecycleSettings(Duration hostLeaseTtl, Duration rescheduleMargin, Duration registrationGrace,
                                    Duration sweepInterval) {

  public static HostLifecycleSettings fromConfig(Config config) {
    Config c = config.getConfig("pacific.host-lifecycle");
    return new HostLifecycleSettings(c.getDuration("host-lease-ttl"), c.getDuration("reschedule-margin"),
        c.getDuration("registration-grace"), c.getDuration("sweep-interval"));
  }
}
