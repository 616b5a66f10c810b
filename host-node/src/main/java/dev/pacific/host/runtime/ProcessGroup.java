package dev.pacific.host.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A container's process group: its first process runs under {@code setsid}, so the group id is
 * that process's pid and every descendant shares it unless it leaves on purpose. Signalling the
 * group reaches the whole tree, as a container runtime's kill reaches the whole PID namespace.
 * Java signals only single processes, so the group is signalled through {@code kill(1)}.
 */
record ProcessGroup(long pgid) {

  /** Waits (briefly) until {@code pid} leads its own group, i.e. {@code setsid} has run. */
  static boolean awaitLeader(long pid, long timeoutMillis) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < until) {
      Long pgid = pgidOf(pid);
      if (pgid == null) {
        return false; // already gone
      }
      if (pgid == pid) {
        return true;
      }
      Thread.sleep(2);
    }
    return false;
  }

  /** The group of a live process, from field 5 of {@code /proc/PID/stat}; null when gone. */
  static Long pgidOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
      String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(rest[2]);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  void terminate() {
    signal("TERM");
  }

  void kill() {
    signal("KILL");
  }

  /** True while any process is in the group (a zombie leader included, until it is reaped). */
  boolean anyAlive() {
    return signal("0");
  }

  private boolean signal(String name) {
    try {
      Process kill = new ProcessBuilder("/usr/bin/kill", "-s", name, "--", "-" + pgid)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run /usr/bin/kill: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
