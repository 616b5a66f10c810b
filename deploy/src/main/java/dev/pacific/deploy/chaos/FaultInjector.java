package dev.pacific.deploy.chaos;

import dev.pacific.deploy.bench.QuorumView;
import dev.pacific.deploy.launcher.ClusterFile;
import dev.pacific.deploy.launcher.Launcher;
import dev.pacific.deploy.launcher.MemberSpec;
import dev.pacific.deploy.launcher.Processes;
import dev.pacific.membership.MemberCard;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Injects one planned fault at a time into the launched cluster and heals it: SIGKILL and start
 * again through the launcher (as {@code pacific kill} / {@code start}), SIGSTOP and SIGCONT (a long
 * GC pause: the member's pod processes and watchdog keep running), or a burst of client retries.
 * Records what it did and when, in milliseconds since the run began.
 */
final class FaultInjector {

  /** One fault as injected: its target, when it began, how long it held, when the cluster had settled. */
  public record Injected(long atMillis, String kind, String member, long holdMillis, long settledAfterMillis,
      String note) {}

  private final Launcher launcher;
  private final KvWorkload kv;
  private final long start;
  private final PrintStream out;
  private final List<Injected> injected = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private final List<String> restarts = new ArrayList<>();
  private final Settle settle;

  FaultInjector(Launcher launcher, KvWorkload kv, long startNanos, PrintStream out) {
    this.launcher = launcher;
    this.kv = kv;
    this.start = startNanos;
    this.out = out;
    this.settle = new Settle(launcher, name -> {
      synchronized (restarts) {
        restarts.add(name);
      }
    });
  }

  long millis() {
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Injects {@code f}, holds it, heals, and waits (at most {@code settleLimit}) until the cluster settles. */
  void run(FaultSchedule.Planned f, Duration settleLimit) throws InterruptedException {
    ClusterFile cluster = launcher.cluster().orElseThrow();
    long at = millis();
    String note = "";
    String member;
    synchronized (restarts) {
      restarts.clear();
    }
    switch (f.kind()) {
      case KILL_LEADER, PAUSE_LEADER -> {
        Optional<String> leader = QuorumView.leader(cluster);
        member = leader.orElseGet(() -> pick(cluster.withRole(MemberCard.CONTROL_PLANE), f.pick()));
        note = leader.isPresent() ? "" : "no leader at the time; " + member + " instead";
      }
      case KILL_FOLLOWER, PAUSE_FOLLOWER -> {
        String leader = QuorumView.leader(cluster).orElse("");
        member = pick(cluster.withRole(MemberCard.CONTROL_PLANE).stream().filter(m -> !m.name().equals(leader))
            .toList(), f.pick());
      }
      case KILL_HOST, PAUSE_HOST -> member = pick(cluster.withRole(MemberCard.HOST), f.pick());
      case KILL_LB -> member = pick(cluster.withRole(MemberCard.LB), f.pick());
      case RETRY_BURST -> member = "";
      default -> throw new IllegalStateException("unknown fault " + f.kind());
    }
    out.printf("chaos: %7.1f s  %-14s %-7s hold %5d ms %s%n", at / 1000.0, f.kind(), member, f.holdMillis(), note);
    try {
      switch (f.kind()) {
        case KILL_LEADER, KILL_FOLLOWER, KILL_HOST, KILL_LB -> {
          launcher.kill(member);
          Thread.sleep(f.holdMillis());
          launcher.start(member, Duration.ofSeconds(120));
        }
        case PAUSE_LEADER, PAUSE_FOLLOWER, PAUSE_HOST -> {
          MemberSpec m = cluster.member(member).orElseThrow();
          signal(m, "STOP");
          try {
            Thread.sleep(f.holdMillis());
          } finally {
            signal(m, "CONT");
          }
        }
        case RETRY_BURST -> {
          kv.burst(24, Duration.ofMillis(f.holdMillis()));
          Thread.sleep(f.holdMillis());
        }
        default -> throw new IllegalStateException("unknown fault " + f.kind());
      }
    } catch (RuntimeException | IOException e) {
      error(at, f.kind() + " of " + member + ": " + e.getMessage());
    }
    long healStart = millis();
    Optional<String> unsettled = settle.await(settleLimit);
    unsettled.ifPresent(why -> error(at, "after " + f.kind() + " of " + member + ", not settled within "
        + settleLimit.toSeconds() + " s: " + why));
    synchronized (restarts) {
      if (!restarts.isEmpty()) {
        note = (note.isEmpty() ? "" : note + "; ") + "found dead and started again: " + restarts;
      }
    }
    long settled = millis() - healStart;
    synchronized (injected) {
      injected.add(new Injected(at, f.kind().name(), member, f.holdMillis(), settled, note));
    }
    if (!note.isEmpty() || settled > 5000) {
      out.printf("chaos: %7.1f s  settled %d ms after healing %s %s%n", millis() / 1000.0, settled, member, note);
    }
  }

  /** Starts whatever is dead and waits until the cluster settles; the reason if it does not. */
  Optional<String> heal(Duration limit) throws InterruptedException {
    return settle.await(limit);
  }

  private static String pick(List<MemberSpec> from, int pick) {
    List<MemberSpec> alive = from.stream().filter(Processes::alive).toList();
    List<MemberSpec> among = alive.isEmpty() ? from : alive;
    return among.get(pick % among.size()).name();
  }

  /** SIGSTOP or SIGCONT by pid (Java's ProcessHandle sends only TERM and KILL). */
  private static void signal(MemberSpec m, String signal) throws IOException {
    if (!Processes.alive(m)) {
      throw new IOException(m.name() + " is not running");
    }
    try {
      int rc = new ProcessBuilder("kill", "-" + signal, Long.toString(m.pid())).inheritIO().start().waitFor();
      if (rc != 0) {
        throw new IOException("kill -" + signal + " " + m.pid() + " exited " + rc);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** One line each: a failed start carries the member log's tail, which stays in the log. */
  private void error(long at, String message) {
    String what = message.lines().findFirst().orElse(message);
    synchronized (errors) {
      errors.add(String.format("%.1f s: %s", at / 1000.0, what));
    }
    out.println("chaos: error: " + what);
  }

  List<Injected> injected() {
    synchronized (injected) {
      return List.copyOf(injected);
    }
  }

  List<String> errors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }
}
