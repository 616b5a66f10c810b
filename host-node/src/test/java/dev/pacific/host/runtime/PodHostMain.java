package dev.pacific.host.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in host member for {@link HostDeathTest}: starts pods, renews its lease until it is
 * killed or paused, and never stops them itself.
 *
 * <p>usage: CLUSTER HOST DATA_DIR PODS LEASE_MILLIS
 */
public final class PodHostMain {

  public static void main(String[] args) throws Exception {
    HostMarkers markers = new HostMarkers(args[0], args[1]);
    Path dir = Path.of(args[2]);
    int pods = Integer.parseInt(args[3]);
    Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
    var settings = new RuntimeSettings(dir, 1 << 20, 2, Duration.ZERO, 0, Duration.ofMillis(50));
    Watchdog watchdog = Watchdog.start(markers, dir, settings.watchdogPoll());
    watchdog.leaseValidFor(lease);
    ProcessRuntime runtime = new ProcessRuntime(settings, markers, watchdog);
    for (int i = 0; i < pods; i++) {
      var launch = new ContainerLaunch(new PodRef("pod-" + i, "default", "p" + i, null), "main", 0,
          List.of("sh", "-c", "sleep 1000 & sleep 1000"), Map.of(), null);
      var result = runtime.start(launch).toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (!(result instanceof StartResult.Started)) {
        throw new IllegalStateException("pod did not start: " + result);
      }
    }
    System.out.println("STARTED " + pods + " watchdog " + watchdog.pid());
    System.out.flush();
    while (true) {
      Thread.sleep(lease.toMillis() / 4);
      watchdog.leaseValidFor(lease);
    }
  }
}
