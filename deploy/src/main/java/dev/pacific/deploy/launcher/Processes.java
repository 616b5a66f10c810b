package dev.pacific.deploy.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The launcher's view of member processes by PID. A PID counts as our member only if its
 * command line carries the member's marker ({@code -Dpacific.member=<data dir>}), so a PID
 * reused by another program after a reboot is never signalled.
 */
public final class Processes {

  private Processes() {}

  public static String marker(MemberSpec member) {
    return "-Dpacific.member=" + member.dataDir();
  }

  public static Optional<ProcessHandle> find(MemberSpec member) {
    if (member.pid() <= 0) {
      return Optional.empty();
    }
    return ProcessHandle.of(member.pid())
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker(member) + " ")).orElse(false));
  }

  public static boolean alive(MemberSpec member) {
    return find(member).isPresent();
  }

  /**
   * Whether a member this launcher has just spawned still runs. Its command line may not show the
   * marker yet: until the last exec (through Java's spawn helper and {@code setsid}) it is another
   * program's, and {@link #alive} would take a member that is starting for one that exited. A pid
   * this process spawned a moment ago is not yet anybody else's.
   */
  public static boolean starting(MemberSpec member) {
    return member.pid() > 0 && ProcessHandle.of(member.pid()).map(ProcessHandle::isAlive).orElse(false);
  }

  /** SIGKILL, as a crash or power loss would do. */
  public static void kill(MemberSpec member) {
    find(member).ifPresent(p -> {
      p.destroyForcibly();
      waitGone(List.of(p), Duration.ofSeconds(10));
    });
  }

  /**
   * SIGTERM to each member (Pekko leaves the cluster gracefully), SIGKILL to whatever is left
   * after {@code grace}; processes the members started go the same way.
   */
  public static void stop(List<MemberSpec> members, Duration grace) {
    List<ProcessHandle> all = new ArrayList<>();
    for (MemberSpec m : members) {
      find(m).ifPresent(p -> {
        all.add(p);
        p.descendants().forEach(all::add);
      });
    }
    all.forEach(ProcessHandle::destroy);
    List<ProcessHandle> left = waitGone(all, grace);
    left.forEach(ProcessHandle::destroyForcibly);
    waitGone(left, Duration.ofSeconds(5));
  }

  private static List<ProcessHandle> waitGone(List<ProcessHandle> processes, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    List<ProcessHandle> alive = new ArrayList<>(processes);
    while (!alive.isEmpty() && System.nanoTime() < deadline) {
      alive.removeIf(p -> !p.isAlive());
      if (!alive.isEmpty()) {
        sleep(50);
      }
    }
    return alive;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LauncherException("interrupted");
    }
  }
}
