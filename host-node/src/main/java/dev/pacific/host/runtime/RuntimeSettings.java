package dev.pacific.host.runtime;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Typed view of {@code pacific.host.process}, {@code pacific.host.simulated} and
 * {@code pacific.host.watchdog}: where pods live on disk, how logs are capped, how the simulated
 * runtime behaves and how often the watchdog looks at its deadline.
 */
public record RuntimeSettings(
    Path dataDir,
    long logMaxBytes,
    int logMaxFiles,
    Duration simulatedStartDelay,
    double simulatedFailureRate,
    Duration watchdogPoll) {

  public static RuntimeSettings fromConfig(Config config) {
    Config c = config.getConfig("pacific.host");
    double failureRate = c.getDouble("simulated.failure-rate");
    if (failureRate < 0 || failureRate > 1) {
      throw new IllegalArgumentException("pacific.host.simulated.failure-rate is a fraction from 0 to 1: " + failureRate);
    }
    return new RuntimeSettings(
        Path.of(c.getString("process.data-dir")),
        c.getBytes("process.log-max-bytes"),
        c.getInt("process.log-max-files"),
        c.getDuration("simulated.start-delay"),
        failureRate,
        c.getDuration("watchdog.poll-interval"));
  }

  /** A pod's own directory, the working directory of containers without an image. */
  public Path sandbox(PodRef pod) {
    return dataDir.resolve("pods").resolve(pod.uid()).resolve("sandbox");
  }

  /**
   * One instance's log, laid out as the kubelet's {@code /var/log/pods/NS_NAME_UID/CONTAINER/N.log}
   * so that {@code previous} is simply the instance before.
   */
  public Path logFile(PodRef pod, String container, int restartCount) {
    return dataDir.resolve("logs").resolve(pod.namespace() + "_" + pod.name() + "_" + pod.uid())
        .resolve(container).resolve(restartCount + ".log");
  }
}
