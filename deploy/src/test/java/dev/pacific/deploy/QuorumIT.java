package dev.pacific.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pacific.controlplane.quorum.check.CheckResult;
import dev.pacific.controlplane.quorum.check.LinearizabilityChecker;
import dev.pacific.controlplane.quorum.check.Operation;
import dev.pacific.controlplane.quorum.check.RegisterModel;
import dev.pacific.controlplane.quorum.check.Verdict;
import dev.pacific.deploy.bench.QuorumView;
import dev.pacific.deploy.launcher.ClusterFile;
import dev.pacific.deploy.launcher.MemberSpec;
import dev.pacific.membership.MemberCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The replicated key-value quorum end to end (issue 4): three control-plane members and the LB as
 * real JVMs, driven through {@code /admin/v1/kv} while leaders are SIGKILLed. Timings print; only
 * outcomes are asserted, with deadlines generous enough for a loaded 2-core machine.
 */
// Not yet in the default run: under load a member sometimes stops receiving its leader's ordinary Artery
// messages (heartbeats) while its bulk stream still works, and stays one commit behind without a leader of
// its own (issue 4). `mvn -Pquorum-it verify` runs it; a failed wait prints every member's /admin/v1/quorum
// (matchIndex, the leader's replication state per follower) and adds thread dumps to the kept member logs.
@Tag("quorum-it")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuorumIT {

  /** Small, so that a follower that misses a few hundred writes must be caught up by InstallSnapshot (§7). */
  private static final int SNAPSHOT_EVERY = 50;
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static TestCluster cluster;
  private static Kv kv;

  @BeforeAll
  static void up() throws Exception {
    cluster = new TestCluster("quorum", 3, 0, List.of("pacific.quorum.snapshot-every=" + SNAPSHOT_EVERY));
    kv = new Kv(cluster.api(), Duration.ofSeconds(5));
  }

  @AfterAll
  static void destroy() throws Exception {
    if (cluster != null) {
      cluster.close();
      assertEquals(List.of(), cluster.strays(), "every process the test started is gone");
    }
  }

  @Test
  @Order(1)
  void badInputGetsAStatusNeverA5xx() {
    KvBadInput.check(kv);
  }

  @Test
  @Order(2)
  void writesSurviveALeaderKillAndTheOldLeaderCatchesUp() throws Exception {
    AckedWrites writes = new AckedWrites(kv, 8);
    writes.start();
    Thread.sleep(2000);
    String leader = awaitLeader();
    long killed = System.nanoTime();
    long failedBefore = writes.failed.get();
    cluster.launcher.kill(leader);
    Http.await(DEADLINE, "a write sent after the kill of " + leader + " succeeds", () -> writes.firstOkAfter(killed) > 0);
    System.out.printf("QuorumIT: after SIGKILL of leader %s, writes resumed after %d ms; %d writes failed meanwhile%n",
        leader, (writes.firstOkAfter(killed) - killed) / 1_000_000, writes.failed.get() - failedBefore);
    Thread.sleep(2000);
    writes.stop();
    restart(leader);
    awaitConverged("after the restart of " + leader);
    writes.verifyReadable(kv);
  }

  @Test
  @Order(3)
  void aHistoryThroughTwoLeaderKillsIsLinearizable() throws Exception {
    KvHistory history = new KvHistory(new Kv(cluster.api(), Duration.ofSeconds(3)), 6, 20, 15);
    history.start();
    Thread.sleep(3000);
    for (int kill = 1; kill <= 2; kill++) {
      String leader = awaitLeader();
      long killed = System.nanoTime();
      cluster.launcher.kill(leader);
      Http.await(DEADLINE, "a write succeeds after the kill of " + leader, () -> history.lastWriteOk() > killed);
      System.out.printf("QuorumIT: history, kill %d of leader %s: a write succeeded %d ms later%n", kill, leader,
          (history.lastWriteOk() - killed) / 1_000_000);
      restart(leader);
      Thread.sleep(2000);
    }
    Thread.sleep(2000);
    history.stop();
    List<Operation> ops = history.operations();
    long open = ops.stream().filter(Operation::indeterminate).count();
    long t = System.nanoTime();
    CheckResult result = LinearizabilityChecker.check(new RegisterModel(), ops, Duration.ofSeconds(60));
    System.out.printf("QuorumIT: checker says %s in %d ms; %d operations (%d indeterminate): %s%n", result,
        (System.nanoTime() - t) / 1_000_000, ops.size(), open, history.outcomes());
    assertTrue(ops.size() > 500, "enough operations to mean something: " + history.outcomes());
    if (result.verdict() != Verdict.LINEARIZABLE) {
      fail("the history is not proven linearizable: " + result);
    }
    awaitConverged("after the history");
  }

  @Test
  @Order(4)
  void aFollowerThatMissedACompactedLogCatchesUpBySnapshot() throws Exception {
    ClusterFile c = cluster.launcher.cluster().orElseThrow();
    String leader = awaitLeader();
    String follower = c.withRole(MemberCard.CONTROL_PLANE).stream().map(MemberSpec::name)
        .filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    long before = appliedIndex(leader);
    cluster.launcher.kill(follower);
    AckedWrites writes = new AckedWrites(kv, 8);
    writes.start();
    Http.await(DEADLINE, "600 writes acknowledged while " + follower + " is down", () -> writes.acked.size() >= 600);
    writes.stop();
    long after = appliedIndex(leader);
    System.out.printf("QuorumIT: %d entries applied while %s was down (snapshot every %d)%n", after - before, follower,
        SNAPSHOT_EVERY);
    assertTrue(after - before > 4L * SNAPSHOT_EVERY, "the leader compacted past the follower's log");
    restart(follower);
    awaitConverged(follower + " caught up after missing " + (after - before) + " entries");
    printSnapshotLines(c.member(follower).orElseThrow());
    writes.verifyReadable(kv);
  }

  @Test
  @Order(5)
  void aWatcherThroughTheLoadBalancerSeesEveryChangeWhileItsMembersAreKilled() throws Exception {
    long start = ok(kv.put("watched/start", "0"), "the first watched write").revision();
    java.util.Map<String, Long> versionsBefore = WatchedKeys.versions(kv, DEADLINE);
    List<long[]> acked = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread writer = new Thread(() -> {
      for (int i = 1; writing.get(); i++) {
        Kv.Answer a = kv.put(WatchedKeys.key(i), "v" + i);
        if (a != null && a.code() == 200) {
          acked.add(new long[] {a.revision(), i});
        }
      }
    }, "watched-writer");
    try (WatchFollower watcher = new WatchFollower(cluster.api(), "watched/", start)) {
      writer.start();
      // One of the three kills hits whichever member serves the watch, wherever it resumed.
      for (String name : List.of("cp-1", "cp-2", "cp-3")) {
        Thread.sleep(1500);
        cluster.launcher.kill(name);
        Thread.sleep(1500);
        restart(name); // returns once the member has settled, so the next kill leaves a majority
      }
      Thread.sleep(1000);
      writing.set(false);
      writer.join(30_000);
      long last = acked.stream().mapToLong(r -> r[0]).max().orElse(start);
      long ms = Http.await(DEADLINE, "the watcher saw revision " + last, () -> watcher.lastRevision() >= last);
      List<WatchFollower.Seen> seen = watcher.seen();
      System.out.printf("QuorumIT: watcher saw %d events after revision %d through 3 member kills, resuming %d times; "
          + "caught up %d ms after the last write%n", seen.size(), start, watcher.resumes(), ms);
      assertTrue(watcher.resumes() >= 1, "the member serving the watch was killed at least once");
      WatchedKeys.check(seen, start, acked, versionsBefore, WatchedKeys.versions(kv, DEADLINE));
    } finally {
      writing.set(false);
    }
  }

  private static Kv.Answer ok(Kv.Answer a, String what) {
    assertTrue(a != null && a.code() == 200, what + ": " + (a == null ? "no answer" : a.code() + " " + a.body()));
    return a;
  }

  private static String awaitLeader() throws InterruptedException {
    String[] leader = {null};
    long ms;
    try {
      ms = Http.await(DEADLINE, "a quorum leader", () -> {
        Optional<String> l = QuorumView.leader(cluster.launcher.cluster().orElseThrow());
        l.ifPresent(n -> leader[0] = n);
        return l.isPresent();
      });
    } catch (AssertionError e) {
      ClusterFile c = cluster.launcher.cluster().orElseThrow();
      String statuses = QuorumView.raw(c);
      ThreadDumps.appendToLogs(c);
      throw new AssertionError(e.getMessage() + "; /admin/v1/quorum now:" + statuses, e);
    }
    if (ms > 500) {
      System.out.printf("QuorumIT: leader %s found after %d ms%n", leader[0], ms);
    }
    return leader[0];
  }

  /**
   * Starts a killed member again and returns once it has settled (caught up with the leader and seen
   * Up by every member), as an operator would wait before touching the next member.
   */
  private static void restart(String name) throws Exception {
    MemberSpec m = cluster.launcher.start(name, Duration.ofSeconds(120));
    long ms = Http.await(DEADLINE, "the restarted " + name + " sees a leader", () -> QuorumView.ready(m));
    long settled = Settled.await(cluster.launcher.cluster().orElseThrow(), name, DEADLINE);
    System.out.printf("QuorumIT: restarted %s ready %d ms after it answered, settled %d ms later%n", name, ms,
        settled);
  }

  private static void awaitConverged(String what) throws InterruptedException {
    ClusterFile c = cluster.launcher.cluster().orElseThrow();
    long ms;
    try {
      ms = Http.await(Duration.ofSeconds(90), "all three members report one appliedIndex and stateHash (" + what + ")",
          () -> QuorumView.converged(c));
    } catch (AssertionError e) {
      String statuses = QuorumView.raw(c);
      ThreadDumps.appendToLogs(c);
      throw new AssertionError(e.getMessage() + "; /admin/v1/quorum now:" + statuses, e);
    }
    QuorumView.Member any = QuorumView.all(c).values().iterator().next();
    System.out.printf("QuorumIT: converged %s in %d ms: appliedIndex %d, stateHash %s%n", what, ms,
        any.appliedIndex(), any.stateHash());
  }

  private static long appliedIndex(String name) {
    MemberSpec m = cluster.launcher.cluster().orElseThrow().member(name).orElseThrow();
    return QuorumView.of(m).orElseThrow(() -> new AssertionError(name + " does not answer /admin/v1/quorum"))
        .appliedIndex();
  }

  /** What the member logged about snapshots: evidence of InstallSnapshot, printed, not asserted on wording. */
  private static void printSnapshotLines(MemberSpec m) throws Exception {
    List<String> lines = Files.readAllLines(Path.of(m.log())).stream()
        .filter(l -> l.toLowerCase().contains("snapshot")).toList();
    System.out.printf("QuorumIT: %s logged %d lines about snapshots%s%n", m.name(), lines.size(),
        lines.isEmpty() ? "" : "; the last: " + lines.get(lines.size() - 1));
  }

  /**
   * Writers putting unique keys and values through the LB, remembering every acknowledged one, so
   * that afterwards each can be read back: an acknowledged write is never lost.
   */
  private static final class AckedWrites {
    final Map<String, String> acked = new ConcurrentHashMap<>();
    final AtomicLong failed = new AtomicLong();
    /** Send and answer times of acknowledged writes, for "when did writes resume". */
    private final List<long[]> okTimes = Collections.synchronizedList(new ArrayList<>());
    private final Kv kv;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    AckedWrites(Kv kv, int clients) {
      this.kv = kv;
      long run = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        int client = c;
        threads.add(new Thread(() -> loop(run + "-" + client), "writer-" + c));
      }
    }

    void start() {
      threads.forEach(Thread::start);
    }

    void stop() throws InterruptedException {
      running = false;
      for (Thread t : threads) {
        t.join();
      }
    }

    private void loop(String prefix) {
      for (int n = 0; running; n++) {
        String key = "a/" + prefix + "-" + n;
        String value = "v-" + prefix + "-" + n;
        long t0 = System.nanoTime();
        Kv.Answer a = kv.put(key, value);
        if (a != null && a.code() == 200) {
          acked.put(key, value);
          okTimes.add(new long[] {t0, System.nanoTime()});
        } else {
          failed.incrementAndGet();
          sleep(20); // a refused connection fails at once: do not spin against a dead leader
        }
      }
    }

    /** When the first write sent at or after {@code t} was acknowledged, or 0 if none was yet. */
    long firstOkAfter(long t) {
      synchronized (okTimes) {
        return okTimes.stream().filter(x -> x[0] >= t).mapToLong(x -> x[1]).min().orElse(0L);
      }
    }

    void verifyReadable(Kv kv) throws Exception {
      ExecutorService readers = Executors.newFixedThreadPool(8);
      AtomicLong unanswered = new AtomicLong();
      try {
        List<Future<String>> checks = new ArrayList<>();
        acked.forEach((key, value) -> checks.add(readers.submit(() -> {
          Kv.Answer a = kv.get(key);
          // No answer (a time-out on a loaded machine) tells nothing about the write: ask again. A wrong or
          // missing value is an answer, and fails the check at once.
          for (int attempt = 1; a == null && attempt < 5; attempt++) {
            unanswered.incrementAndGet();
            a = kv.get(key);
          }
          return a != null && a.code() == 200 && value.equals(a.value()) ? null
              : key + " -> " + (a == null ? "no answer" : a.code() + " " + a.body());
        })));
        List<String> wrong = new ArrayList<>();
        for (Future<String> f : checks) {
          String w = f.get();
          if (w != null && wrong.size() < 10) {
            wrong.add(w);
          }
        }
        System.out.printf("QuorumIT: read back %d acknowledged writes (%d reads asked again after no answer)%n",
            acked.size(), unanswered.get());
        assertEquals(List.of(), wrong, "acknowledged writes that do not read back with their value");
      } finally {
        readers.shutdownNow();
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
