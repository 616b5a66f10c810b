package dev.pacific.host.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The host's side of {@code watchdog.sh}: a small process outside the JVM that kills this host's
 * pods when the JVM dies (its pipe closes) or stops renewing its lease (the deadline passes), so
 * that a SIGKILLed or paused host never leaves pods running where the control plane no longer
 * expects them (CONTRACT.md, "Hosts and pods").
 *
 * <p>Until the first {@link #leaseValidFor}, and after a deadline passes, the host may not start
 * pods: {@link #mayStartPods()} says so.
 */
public final class Watchdog implements AutoCloseable {

  private static final String SCRIPT = "watchdog.sh";

  private final Process process;
  private final OutputStream pipe;
  /** System.nanoTime() past which no pod may start; Long.MIN_VALUE until the first renewal. */
  private volatile long deadlineNanos;
  private volatile boolean renewed;

  private Watchdog(Process process) {
    this.process = process;
    this.pipe = process.getOutputStream();
  }

  /**
   * Starts the watchdog in its own session (a terminal's Ctrl-C to the host must not take the
   * watchdog first), logging to {@code dir/watchdog.log}.
   */
  public static Watchdog start(HostMarkers markers, Path dir, Duration poll) throws IOException {
    Files.createDirectories(dir);
    Path script = dir.resolve(SCRIPT);
    try (InputStream in = Watchdog.class.getResourceAsStream(SCRIPT)) {
      Files.write(script, in.readAllBytes());
    }
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/setsid", "/bin/bash", script.toString(),
        markers.cluster(), markers.host(), String.format(Locale.ROOT, "%.3f", poll.toMillis() / 1000.0))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("watchdog.log").toFile()));
    // The watchdog must never match the markers it kills by (a host may itself run inside a pod).
    pb.environment().keySet().removeIf(k -> k.startsWith("PACIFIC_"));
    return new Watchdog(pb.start());
  }

  public long pid() {
    return process.pid();
  }

  /**
   * The host's lease holds for {@code remaining} from now; past it, the watchdog kills every pod.
   * A duration, not an instant: both sides measure it on a monotonic clock, so a wall clock that
   * steps back cannot stretch it.
   */
  public void leaseValidFor(Duration remaining) {
    deadlineNanos = System.nanoTime() + remaining.toNanos();
    renewed = true;
    send("renew " + Math.max(0, remaining.toMillis()));
  }

  /** Whether a pod may start now: a lease is held and the watchdog is on guard. */
  public boolean mayStartPods() {
    return process.isAlive() && renewed && System.nanoTime() - deadlineNanos < 0;
  }

  void adopt(ProcessGroup group) {
    send("adopt " + group.pgid());
  }

  void release(ProcessGroup group) {
    send("release " + group.pgid());
  }

  /** One write per line: a pipe write under 4 KiB is atomic, so lines from threads never mix. */
  private synchronized void send(String line) {
    try {
      pipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
      pipe.flush();
    } catch (IOException e) {
      throw new IllegalStateException("the host watchdog is gone; pods cannot be guarded: " + e.getMessage(), e);
    }
  }

  /** Closing the pipe is the same signal as the JVM dying: every pod still running is killed. */
  @Override
  public void close() {
    try {
      pipe.close();
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
