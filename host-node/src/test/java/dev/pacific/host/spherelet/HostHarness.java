package dev.pacific.host.spherelet;

import dev.pacific.host.addresses.PodAddresses;
import dev.pacific.host.images.ImageService;
import dev.pacific.host.images.ImageSource;
import dev.pacific.host.podagent.NetworkProber;
import dev.pacific.host.podagent.PodAgentSettings;
import dev.pacific.host.runtime.ContainerRuntime;
import dev.pacific.host.runtime.HostMarkers;
import dev.pacific.host.runtime.HostUnderTest;
import dev.pacific.host.runtime.MarkedProcesses;
import dev.pacific.host.runtime.ProcessRuntime;
import dev.pacific.host.runtime.RuntimeSettings;
import dev.pacific.host.runtime.SimulatedRuntime;
import dev.pacific.host.runtime.Watchdog;
import dev.pacific.membership.MemberIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BooleanSupplier;

/**
 * One host's lasting parts for a spherelet test, under markers of its own: the process runtime
 * with a real watchdog, or the simulated runtime. {@link #close()} kills whatever carries the
 * markers, so a failing test leaves no process behind.
 */
final class HostHarness implements AutoCloseable {

  static final String HOST = "host-t";

  final Path dir;
  final HostMarkers markers;
  final RuntimeSettings runtimeSettings;
  final Watchdog watchdog;
  final ContainerRuntime runtime;
  final HostKit kit;

  private HostHarness(boolean processes) throws IOException {
    dir = Files.createTempDirectory("pacific-spherelet-");
    markers = new HostMarkers("sph-" + UUID.randomUUID().toString().substring(0, 8), HOST);
    runtimeSettings = new RuntimeSettings(dir, 1 << 20, 2, Duration.ofMillis(20), 0, Duration.ofMillis(50));
    if (processes) {
      watchdog = Watchdog.start(markers, dir, runtimeSettings.watchdogPoll());
      runtime = new ProcessRuntime(runtimeSettings, markers, watchdog);
    } else {
      watchdog = null;
      runtime = new SimulatedRuntime(Duration.ofMillis(20), 0, 1);
    }
    var settings = new SphereletSettings(Duration.ofMillis(700), Duration.ofSeconds(2), Duration.ofSeconds(3),
        Duration.ofMillis(50), Duration.ofMillis(500),
        Duration.ofSeconds(2), 0.25, 0.25, Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofMillis(200),
        Duration.ofMillis(100), markers.cluster(), "", Duration.ofSeconds(2));
    var me = new MemberIdentity(HOST, "host", "127.0.0.1", 0, 0, dir, Instant.now());
    var host = new HostSettings("2", "4Gi", 20, runtime.name(), Map.of("zone", "z1"));
    kit = new HostKit(NodeDescription.of(me, host, 40999, Instant.now()), runtime, watchdog, new PodAddresses(),
        new ImageService(ImageSource.directory(dir.resolve("library")), dir.resolve("images")),
        new NetworkProber(ForkJoinPool.commonPool()), Clock.systemUTC(), PodAgentSettings.kubernetes(), settings,
        new HostLogs(runtimeSettings));
  }

  static HostHarness processes() throws IOException {
    return new HostHarness(true);
  }

  static HostHarness simulated() throws IOException {
    return new HostHarness(false);
  }

  /** Live processes of one pod, found by its markers in /proc. */
  List<Long> processesOf(String uid) {
    return MarkedProcesses.ofPod(markers, uid);
  }

  /** Live processes of this host by pod uid, from one scan of /proc (for dense sampling). */
  Map<String, Integer> processesPerPod() {
    Map<String, Integer> counts = new HashMap<>();
    String podVar = HostMarkers.POD_UID + "=";
    for (long pid : MarkedProcesses.ofHost(markers)) {
      try {
        for (String e : Files.readString(Path.of("/proc", Long.toString(pid), "environ")).split("\0")) {
          if (e.startsWith(podVar)) {
            counts.merge(e.substring(podVar.length()), 1, Integer::sum);
          }
        }
      } catch (IOException gone) {
        // ended between the scan and the read
      }
    }
    return counts;
  }

  /** Polls (generously: a shared 2-core machine) until the condition holds; false if it never did. */
  static boolean eventually(Duration within, BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  @Override
  public void close() {
    runtime.close();
    if (watchdog != null) {
      watchdog.close();
    }
    for (long pid : MarkedProcesses.ofHost(markers)) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    HostUnderTest.deleteTree(dir);
  }
}
