package dev.pacific.host.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT.md "Hosts and pods": a SIGKILLed host member takes its pods with it, and a paused one's
 * pods stop themselves once its lease deadline passes. The host is a child JVM
 * ({@link PodHostMain}); the proof is a scan of /proc for its markers.
 */
class HostDeathTest {

  private static final int PODS = 3;

  @Test
  void sigkillOfTheHostJvmLeavesNoneOfItsPodsRunning() throws Exception {
    HostMarkers markers = markers();
    Path dir = Files.createTempDirectory("pacific-death-");
    Process host = startHost(markers, dir, 30_000);
    try {
      awaitStarted(host, markers);
      long killedAt = System.nanoTime();
      host.destroyForcibly(); // SIGKILL: no shutdown hook, no finally, nothing of the JVM runs
      List<Long> left = HostUnderTest.awaitNoneMarked(markers, Duration.ofSeconds(15));
      System.out.printf("pods of a SIGKILLed host gone %d ms after the kill%n", elapsedMillis(killedAt));
      assertEquals(List.of(), left, "pod processes outlived their host");
    } finally {
      cleanUp(host, markers, dir);
    }
  }

  /**
   * {@code pacific down} sends SIGTERM to the host and to every process under it at once, its watchdog included;
   * a pod the host starts again while it shuts down (a container of restartPolicy Always that the same SIGTERM
   * ended) is then only found by the watchdog when the host's pipe closes, so SIGTERM must not end the watchdog.
   */
  @Test
  void theWatchdogOutlivesASigtermAndStillKillsThePodsWhenItsHostDies() throws Exception {
    HostMarkers markers = markers();
    Path dir = Files.createTempDirectory("pacific-term-");
    Process host = startHost(markers, dir, 30_000);
    try {
      awaitStarted(host, markers);
      ProcessHandle watchdog = host.toHandle().descendants()
          .filter(p -> p.info().commandLine().map(c -> c.contains("watchdog.sh")).orElse(false))
          .findFirst().orElseThrow(() -> new AssertionError("the host runs a watchdog"));
      signal(watchdog.pid(), "TERM");
      Thread.sleep(500);
      assertTrue(watchdog.isAlive(), "the watchdog ignores SIGTERM: only the end of its host's pipe ends it");
      host.destroyForcibly();
      List<Long> left = HostUnderTest.awaitNoneMarked(markers, Duration.ofSeconds(15));
      assertEquals(List.of(), left, "pod processes outlived their host after its watchdog got a SIGTERM");
    } finally {
      cleanUp(host, markers, dir);
    }
  }

  @Test
  void aHostPausedPastItsLeaseDeadlineHasItsPodsStopped() throws Exception {
    HostMarkers markers = markers();
    Path dir = Files.createTempDirectory("pacific-pause-");
    long leaseMillis = 1_500;
    Process host = startHost(markers, dir, leaseMillis);
    try {
      awaitStarted(host, markers);
      long pausedAt = System.nanoTime();
      signal(host.pid(), "STOP");
      List<Long> left = HostUnderTest.awaitNoneMarked(markers, Duration.ofSeconds(20));
      System.out.printf("pods of a paused host gone %d ms after the pause (lease %d ms)%n",
          elapsedMillis(pausedAt), leaseMillis);
      assertEquals(List.of(), left, "pod processes outlived their host's lease");
      assertTrue(host.isAlive(), "the host itself was only paused");
    } finally {
      cleanUp(host, markers, dir);
    }
  }

  private static HostMarkers markers() {
    return new HostMarkers("death-" + UUID.randomUUID().toString().substring(0, 8), "host-b");
  }

  private static Process startHost(HostMarkers markers, Path dir, long leaseMillis) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx48m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        PodHostMain.class.getName(), markers.cluster(), markers.host(), dir.toString(), String.valueOf(PODS),
        String.valueOf(leaseMillis))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** Reads the child's "STARTED" line and checks every pod (a shell and two sleeps) is there. */
  private static void awaitStarted(Process host, HostMarkers markers) throws Exception {
    var out = new BufferedReader(new InputStreamReader(host.getInputStream()));
    var line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (java.io.IOException e) {
        return null;
      }
    }).get(60, TimeUnit.SECONDS);
    assertTrue(line != null && line.startsWith("STARTED"), "host said: " + line);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (MarkedProcesses.ofHost(markers).size() < PODS * 2 && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertTrue(MarkedProcesses.ofHost(markers).size() >= PODS * 2, "pods run before the host dies");
  }

  private static void signal(long pid, String name) throws Exception {
    new ProcessBuilder("/usr/bin/kill", "-s", name, String.valueOf(pid)).start().waitFor(5, TimeUnit.SECONDS);
  }

  private static long elapsedMillis(long since) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
  }

  private static void cleanUp(Process host, HostMarkers markers, Path dir) throws Exception {
    host.destroyForcibly(); // a stopped process dies of SIGKILL too
    host.waitFor(10, TimeUnit.SECONDS);
    HostUnderTest.killMarked(markers);
    Path log = dir.resolve("watchdog.log");
    if (Files.exists(log)) {
      System.out.print("watchdog.log: " + Files.readString(log));
    }
    HostUnderTest.deleteTree(dir);
  }
}
