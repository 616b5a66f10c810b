package dev.pacific.controlplane.scheduler;

import com.typesafe.config.Config;
import java.time.Duration;

/** Typed view of {@code pacific.scheduler}. */
public record SchedulerSettings(int batchSize, int parallelism, Duration batchDelay, Duration retryInterval,
                                Duration failureBackoff) {

  public SchedulerSettings {
    if (batchSize < 1 || parallelism < 1) {
      throw new IllegalArgumentException("pacific.scheduler.batch-size and parallelism must be at least 1");
    }
  }

  public static SchedulerSettings fromConfig(Config config) {
    Config c = config.getConfig("pacific.scheduler");
    return new SchedulerSettings(c.getInt("batch-size"), c.getInt("parallelism"), c.getDuration("batch-delay"),
        c.getDuration("retry-interval"), c.getDuration("failure-backoff"));
  }
}
