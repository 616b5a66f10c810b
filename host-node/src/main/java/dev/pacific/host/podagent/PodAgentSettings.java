package dev.pacific.host.podagent;

import com.typesafe.config.Config;
import java.time.Duration;

/** Typed view of {@code pacific.host.pod-agent}: the restart back-off, Kubernetes' by default. */
public record PodAgentSettings(Duration backOffInitial, Duration backOffMax, Duration backOffResetAfter) {

  public static PodAgentSettings fromConfig(Config config) {
    Config c = config.getConfig("pacific.host.pod-agent");
    return new PodAgentSettings(c.getDuration("backoff-initial"), c.getDuration("backoff-max"),
        c.getDuration("backoff-reset-after"));
  }

  public static PodAgentSettings kubernetes() {
    return new PodAgentSettings(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMinutes(10));
  }

  CrashBackOff newBackOff() {
    return new CrashBackOff(backOffInitial, backOffMax, backOffResetAfter);
  }

  /** Image pulls get no immediate retry: the first wait is already {@code backoff-initial}. */
  CrashBackOff newPullBackOff() {
    CrashBackOff b = newBackOff();
    b.afterRunning(Duration.ZERO);
    return b;
  }
}
