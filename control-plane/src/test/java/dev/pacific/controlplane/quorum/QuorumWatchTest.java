package dev.pacific.controlplane.quorum;

import static dev.pacific.controlplane.quorum.OneMemberQuorum.await;
import static dev.pacific.controlplane.quorum.OneMemberQuorum.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.store.Change;
import dev.pacific.controlplane.quorum.store.Compacted;
import dev.pacific.controlplane.quorum.store.KeyRange;
import dev.pacific.controlplane.quorum.store.KvStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;

/** Watches deliver every change after a revision exactly once, in order, across the replay/live seam and members. */
class QuorumWatchTest {

  private static final KeyRange W = KeyRange.prefix(b("w/"));

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** What a watch of {@code range} after 0 must deliver, from the store's own history: "rev type key". */
  private static List<String> expected(KvStore store, KeyRange range) {
    return expected(store, range, 0);
  }

  private static List<String> expected(KvStore store, KeyRange range, long after) {
    List<String> out = new ArrayList<>();
    for (Change c : store.changesAfter(after, Integer.MAX_VALUE)) {
      if (range.contains(c.kv().key())) {
        out.add(show(WatchEvent.of(c)));
      }
    }
    return out;
  }

  private static String show(WatchEvent e) {
    return e.revision() + " " + e.type() + " " + new String(e.kv().key(), StandardCharsets.UTF_8);
  }

  private static CompletionStage<Done> collect(QuorumWatch watch, long after, List<String> into, ActorSystem<?> on) {
    return watch.watch(W, after).runWith(Sink.foreach(e -> into.add(show(e))), on);
  }

  /** A write stream on w/ (puts, re-puts and deletes) with noise outside it, {@code inFlight} at a time. */
  private static void write(QuorumKv kv, int from, int to) {
    List<CompletionStage<?>> pending = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String key = "w/" + (i % 37);
      pending.add(i % 5 == 4 ? kv.delete(b(key), OptionalLong.empty()) : kv.put(b(key), b("v" + i), OptionalLong.empty()));
      if (i % 3 == 0) {
        pending.add(kv.put(b("noise/" + i), b("x"), OptionalLong.empty()));
      }
      if (pending.size() >= 16) {
        await(pending.remove(0));
      }
    }
    pending.forEach(OneMemberQuorum::await);
  }

  @Test
  void aWatchStartedMidStreamDeliversEveryChangeOnceInOrder() throws Exception {
    try (OneMemberQuorum q = new OneMemberQuorum(new FakeClock(), "")) {
      write(q.kv, 0, 300);
      List<String> seen = new CopyOnWriteArrayList<>();
      collect(q.storage.watch(), 0, seen, q.kit.system()); // replays 300 writes while 700 more arrive
      write(q.kv, 300, 1_000);
      List<String> expected = expected(q.storage.kvStore(), W);
      assertTrue(eventually(Duration.ofSeconds(20), () -> seen.size() >= expected.size()), seen.size() + " seen");
      Thread.sleep(100);
      assertEquals(expected, seen);
      assertTrue(seen.stream().anyMatch(s -> s.contains("ADDED")) && seen.stream().anyMatch(s -> s.contains("MODIFIED"))
          && seen.stream().anyMatch(s -> s.contains("DELETED")));
    }
  }

  @Test
  void aWatchFromACompactedRevisionFailsWithTheOldestAvailable() throws Exception {
    try (OneMemberQuorum q = new OneMemberQuorum(new FakeClock(), "")) {
      write(q.kv, 0, 50);
      await(q.kv.compact(30));
      ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () ->
          collect(q.storage.watch(), 10, new ArrayList<>(), q.kit.system()).toCompletableFuture().get(10, TimeUnit.SECONDS));
      Compacted compacted = assertInstanceOf(Compacted.class, e.getCause());
      assertEquals(30, compacted.compactedRevision());
      List<String> seen = new CopyOnWriteArrayList<>();
      collect(q.storage.watch(), 30, seen, q.kit.system());
      List<String> after30 = expected(q.storage.kvStore(), W, 30);
      assertTrue(eventually(Duration.ofSeconds(10), () -> seen.size() >= after30.size()));
      assertEquals(after30, seen);
    }
  }

  @Test
  void aSlowWatcherIsCutWithoutHoldingTheMemberBack() throws Exception {
    try (OneMemberQuorum q = new OneMemberQuorum(new FakeClock(), "pacific.quorum.watch.buffer = 16")) {
      CompletionStage<Done> slow = q.storage.watch().watch(W, 0)
          .throttle(1, Duration.ofSeconds(1))
          .runWith(Sink.ignore(), q.kit.system());
      long started = System.nanoTime();
      write(q.kv, 0, 400);
      System.out.printf("watch: 400 writes with a stalled watcher took %d ms%n", (System.nanoTime() - started) / 1_000_000);
      ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> slow.toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertInstanceOf(QuorumWatch.TooSlow.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("more than 16 revisions behind"), e.getCause().getMessage());
    }
  }

  @Test
  void aWatcherResumesOnAnotherMemberAfterItsMemberStopsWithoutGapOrDuplicate() throws Exception {
    try (TestQuorum q = TestQuorum.onLevelDb(new FakeClock(), "").startAll()) {
      String leader = q.awaitLeader(Duration.ofSeconds(20));
      assertNotNull(leader);
      List<String> others = TestQuorum.NAMES.stream().filter(n -> !n.equals(leader)).toList();
      List<String> seen = new CopyOnWriteArrayList<>();
      collect(q.member(leader).storage().watch(), 0, seen, q.member(leader).kit().system());
      QuorumKv writer = q.kv(others.get(0));
      write(writer, 0, 150);
      assertTrue(eventually(Duration.ofSeconds(10), () -> !seen.isEmpty()));
      q.stop(leader); // the watched member and the leader at once
      long last = seen.isEmpty() ? 0 : Long.parseLong(seen.get(seen.size() - 1).split(" ")[0]);
      TestQuorum.Member resumed = q.member(others.get(1));
      collect(resumed.storage().watch(), last, seen, resumed.kit().system());
      write(writer, 150, 400);
      assertNotNull(q.awaitLeader(Duration.ofSeconds(20)));
      q.awaitSameState(Duration.ofSeconds(20));
      List<String> expected = expected(resumed.storage().kvStore(), W);
      assertTrue(eventually(Duration.ofSeconds(20), () -> seen.size() >= expected.size()), seen.size() + " seen");
      Thread.sleep(100);
      System.out.printf("watch: %d events, resumed after revision %d on %s once %s stopped%n", seen.size(), last,
          others.get(1), leader);
      assertEquals(expected, seen);
    }
  }
}
