package dev.pacific.controlplane.controllers;

import com.typesafe.config.Config;
import java.time.Duration;

/** Typed view of {@code pacific.host-lifecycle} (and the pods' default grace, for drains). */
public record HostLifecycleSettings(Duration hostLeaseTtl, Duration rescheduleMargin, Duration registrationGrace,
                                    Duration sweepInterval, Duration defaultGrace) {

  public static HostLifecycleSettings fromConfig(Config config) {
    Config c = config.getConfig("pacific.host-lifecycle");
    return new HostLifecycleSettings(c.getDuration("host-lease-ttl"), c.getDuration("reschedule-margin"),
        c.getDuration("registration-grace"), c.getDuration("sweep-interval"),
        config.getDuration("pacific.entities.pods.default-termination-grace"));
  }
}
