package dev.pacific.host.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A process runtime with its watchdog under unique markers, for one test. {@link #close()} kills
 * whatever carries the markers, so a failing test leaves nothing behind either.
 */
public final class HostUnderTest implements AutoCloseable {

  final Path dir;
  final HostMarkers markers;
  final RuntimeSettings settings;
  final Watchdog watchdog;
  final ProcessRuntime runtime;

  HostUnderTest(long logMaxBytes, int logMaxFiles) throws IOException {
    dir = Files.createTempDirectory("pacific-host-");
    markers = new HostMarkers("test-" + UUID.randomUUID().toString().substring(0, 8), "host-a");
    settings = new RuntimeSettings(dir, logMaxBytes, logMaxFiles, Duration.ZERO, 0, Duration.ofMillis(100));
    watchdog = Watchdog.start(markers, dir, settings.watchdogPoll());
    watchdog.leaseValidFor(Duration.ofMinutes(10));
    runtime = new ProcessRuntime(settings, markers, watchdog);
  }

  public HostUnderTest() throws IOException {
    this(1024 * 1024, 3);
  }

  public static PodRef pod(String uid) {
    return new PodRef(uid, "default", "pod-" + uid, "127.64.0.7");
  }

  public ContainerLaunch launch(String uid, List<String> argv) {
    return new ContainerLaunch(pod(uid), "main", 0, argv, Map.of("FOO", "bar"), null);
  }

  public RunningContainer started(ContainerLaunch launch) throws Exception {
    StartResult r = runtime.start(launch).toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (r instanceof StartResult.Started s) {
      return s.container();
    }
    throw new AssertionError("did not start: " + r);
  }

  public ContainerExit exitOf(RunningContainer c) throws Exception {
    return c.exit().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  public String log(ContainerLaunch launch) throws IOException {
    return Files.readString(settings.logFile(launch.pod(), launch.container(), launch.restartCount()));
  }

  /** Waits (generously) for the host's marked processes to be gone; returns those still there. */
  List<Long> awaitNoneMarked(Duration within) throws InterruptedException {
    return awaitNoneMarked(markers, within);
  }

  static List<Long> awaitNoneMarked(HostMarkers markers, Duration within) throws InterruptedException {
    long until = System.nanoTime() + within.toNanos();
    List<Long> left = MarkedProcesses.ofHost(markers);
    while (!left.isEmpty() && System.nanoTime() < until) {
      Thread.sleep(50);
      left = MarkedProcesses.ofHost(markers);
    }
    return left;
  }

  static void killMarked(HostMarkers markers) {
    for (long pid : MarkedProcesses.ofHost(markers)) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Override
  public void close() {
    runtime.close();
    watchdog.close();
    killMarked(markers);
    deleteTree(dir);
  }

  public static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory; the OS cleans it eventually
    }
  }
}
