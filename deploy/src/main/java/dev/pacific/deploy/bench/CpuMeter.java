package dev.pacific.deploy.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time spent by a set of server processes (from {@code /proc/<pid>/stat}) and by this JVM over
 * a measured window. On a shared, noisy machine put/s moves with the neighbours' load; CPU time per
 * put moves much less, so it tells which store does more work for the same request.
 */
final class CpuMeter {

  /** Linux reports utime and stime in USER_HZ ticks, 100 per second on every architecture Pacific runs on. */
  private static final double MILLIS_PER_TICK = 10.0;

  /**
   * CPU milliseconds of the servers and of this JVM (the clients) over one window; {@code compilerMillis} is the
   * servers' JIT compiler threads' part of {@code serverMillis} (a compiler thread that ended during the window is
   * not counted: HotSpot stops idle ones).
   */
  record Usage(double serverMillis, double clientMillis, double seconds, double compilerMillis) {
    /** A line's worth: CPU ms per operation, and the servers' share of the machine's cores. */
    String per(long operations, String unit) {
      int cores = Runtime.getRuntime().availableProcessors();
      return operations == 0 ? "no " + unit + "s" : String.format(
          "server CPU %.2f ms/%s (%.0f%% of %d cores), client CPU %.2f ms/%s", serverMillis / operations, unit,
          seconds <= 0 ? 0 : 100 * serverMillis / (seconds * 1000 * cores), cores, clientMillis / operations, unit);
    }
  }

  private final List<Long> pids;
  private final double serverStart;
  private final Map<String, Long> compilerStart;
  private final double clientStart;
  private final long started = System.nanoTime();

  private CpuMeter(List<Long> pids) {
    this.pids = pids;
    this.serverStart = serverMillis(pids);
    this.compilerStart = compilerTicks(pids);
    this.clientStart = clientMillis();
  }

  /** Starts measuring the processes {@code pids}, which must live through the window. */
  static CpuMeter start(List<Long> pids) {
    return new CpuMeter(List.copyOf(pids));
  }

  Usage stop() {
    double compiler = 0;
    for (var t : compilerTicks(pids).entrySet()) {
      compiler += (t.getValue() - compilerStart.getOrDefault(t.getKey(), 0L)) * MILLIS_PER_TICK;
    }
    return new Usage(serverMillis(pids) - serverStart, clientMillis() - clientStart,
        (System.nanoTime() - started) / 1e9, compiler);
  }

  /** utime + stime of each JIT compiler thread ("C1 CompilerThre", "C2 CompilerThre") of the processes, by pid/tid. */
  private static Map<String, Long> compilerTicks(List<Long> pids) {
    Map<String, Long> out = new HashMap<>();
    for (long pid : pids) {
      Path tasks = Path.of("/proc", Long.toString(pid), "task");
      try (var each = Files.list(tasks)) {
        for (Path task : each.toList()) {
          try {
            if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
              out.put(pid + "/" + task.getFileName(), statTicks(Files.readString(task.resolve("stat"))));
            }
          } catch (IOException | RuntimeException gone) {
            // the thread ended meanwhile
          }
        }
      } catch (IOException | RuntimeException gone) {
        // the process ended
      }
    }
    return out;
  }

  private static double serverMillis(List<Long> pids) {
    double sum = 0;
    for (long pid : pids) {
      sum += ticks(pid) * MILLIS_PER_TICK;
    }
    return sum;
  }

  /** utime + stime of one process; 0 if it is gone. Fields after the parenthesised command name. */
  static long ticks(long pid) {
    try {
      return statTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** utime + stime from a {@code stat} line: the fields after the parenthesised command name. */
  private static long statTicks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // f[0] is field 3 (state); utime is field 14, stime field 15
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static double clientMillis() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e6;
  }
}
