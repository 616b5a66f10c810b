package dev.pacific.controlplane.quorum;

import static dev.pacific.controlplane.quorum.TestQuorum.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;

/**
 * Three members over real Artery on loopback. Timing figures are printed, never
 * asserted: the deadlines are generous for a shared 2-core machine.
 */
class QuorumMemberTest {

  private static final Duration LONG = Duration.ofSeconds(20);

  @Test
  void electsOneLeaderAndAllMembersApplyTheSameState() throws Exception {
    try (TestQuorum q = new TestQuorum(10_000)) {
      long start = System.nanoTime();
      q.startAll();
      long started = System.nanoTime();
      String leader = q.awaitLeader(LONG);
      assertNotNull(leader, "no leader elected");
      System.out.printf("quorum: three systems started in %d ms; first leader %s agreed on by all %d ms later%n",
          (started - start) / 1_000_000, leader, millisSince(started));

      String follower = TestQuorum.NAMES.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
      QuorumClient client = q.client(follower);
      long savesBefore = q.member(leader).log().saves();
      long writesStarted = System.nanoTime();
      List<CompletionStage<QuorumMember.Result>> writes = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        writes.add(client.propose(MemoryKv.put("k" + (i % 7), ("v" + i).getBytes(StandardCharsets.UTF_8))));
      }
      writes.forEach(w -> await(w));
      System.out.printf("quorum: 50 concurrent writes through follower %s in %d ms; the leader persisted them in %d saves%n",
          follower, millisSince(writesStarted), q.member(leader).log().saves() - savesBefore);
      q.awaitSameState(LONG);
      TestQuorum.NAMES.forEach(n -> assertEquals(50, q.member(n).kv().kv.writesApplied(), n));

      QuorumStatus status = q.status(leader);
      assertEquals(leader, status.leader());
      assertTrue(status.members().stream().allMatch(m -> m.reachable() && m.matchIndex() != null), status.toString());
    }
  }

  @Test
  void readIndexReadsSeeTheLatestWriteThroughAnyMember() throws Exception {
    try (TestQuorum q = new TestQuorum(10_000).startAll()) {
      assertNotNull(q.awaitLeader(LONG));
      for (String via : TestQuorum.NAMES) {
        byte[] value = ("written-via-" + via).getBytes(StandardCharsets.UTF_8);
        await(q.client(via).propose(MemoryKv.put("x", value)));
        for (String reader : TestQuorum.NAMES) {
          assertArrayEquals(value, await(q.client(reader).read(MemoryKv.get("x"))).value(), "read via " + reader);
        }
      }
    }
  }

  @Test
  void afterTheLeaderStopsANewOneIsElectedAndARetriedWriteAppliesOnce() throws Exception {
    try (TestQuorum q = new TestQuorum(10_000).startAll()) {
      String old = q.awaitLeader(LONG);
      assertNotNull(old);
      String survivor = TestQuorum.NAMES.stream().filter(n -> !n.equals(old)).findFirst().orElseThrow();
      await(q.client(survivor).propose(MemoryKv.put("before", new byte[] {1})));

      long stopped = System.nanoTime();
      q.stop(old);
      QuorumClient client = q.client(survivor);
      await(client.propose(MemoryKv.put("after", new byte[] {2})));
      System.out.printf("quorum: leader %s stopped; first write after failover done in %d ms%n", old,
          millisSince(stopped));
      String leader = q.awaitLeader(LONG);
      assertNotEquals(old, leader);
      System.out.printf("quorum: new leader %s, %d ms after the old one stopped%n", leader, millisSince(stopped));

      byte[] retried = MemoryKv.SESSIONS.wrap("session-1", 1, MemoryKv.put("once", new byte[] {3}));
      long writesBefore = q.member(survivor).kv().kv.writesApplied();
      QuorumMember.Result first = propose(q, survivor, retried);
      QuorumMember.Result again = propose(q, leader, retried);
      assertTrue(again.index() > first.index(), "the retry is a second log entry");
      assertArrayEquals(first.value(), again.value(), "but it answers with the first application's result");
      q.awaitSameState(LONG);
      assertEquals(writesBefore + 1, q.member(survivor).kv().kv.writesApplied());
    }
  }

  @Test
  void aLaggingMemberCatchesUpByInstallSnapshotAfterTheLeaderCompacted() throws Exception {
    try (TestQuorum q = new TestQuorum(20).startAll()) {
      String leader = q.awaitLeader(LONG);
      String lagging = TestQuorum.NAMES.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
      MemoryLog disk = q.member(lagging).log();
      q.stop(lagging);
      QuorumClient client = q.client(leader);
      for (int i = 0; i < 100; i++) {
        await(client.propose(MemoryKv.put("k" + i, new byte[10_000]))); // a 1 MB snapshot: 2 chunks
      }
      assertTrue(q.member(leader).log().load().snapshot().index() > 20, "the leader compacted its log");

      long lastIndexBefore = disk.load().snapshot().index() + disk.load().entries().size();
      long restarted = System.nanoTime();
      // its log survives as a disk would; its in-memory state machine starts empty and replays
      TestQuorum.Member fresh = q.start(lagging, disk, new TestQuorum.CountingKv());
      String hash = q.awaitSameState(LONG);
      System.out.printf("quorum: %s caught up from index %d to %d in %d ms%n", lagging, lastIndexBefore,
          fresh.kv().appliedIndex(), millisSince(restarted));
      assertTrue(fresh.kv().restores.get() >= 1, "caught up through InstallSnapshot");
      assertEquals(q.member(leader).kv().stateHash(), hash);
      await(client.propose(MemoryKv.put("after-catch-up", new byte[] {1})));
      q.awaitSameState(LONG);
    }
  }

  @Test
  void aValueAboveArterysOrdinaryFrameTravelsOnTheBulkStream() throws Exception {
    try (TestQuorum q = new TestQuorum(10_000).startAll()) {
      String leader = q.awaitLeader(LONG);
      String follower = TestQuorum.NAMES.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
      byte[] big = new byte[1_500_000]; // the largest value the API accepts; ordinary frames stop at 256 KiB
      big[big.length - 1] = 42;
      await(q.client(follower).propose(MemoryKv.put("big", big)));
      q.awaitSameState(LONG);
      assertArrayEquals(big, await(q.client(follower).read(MemoryKv.get("big"))).value());
    }
  }

  private static QuorumMember.Result propose(TestQuorum q, String via, byte[] command) {
    TestQuorum.Member m = q.member(via);
    TestProbe<QuorumMember.Reply> probe = TestProbe.create(m.kit().system());
    m.ref().tell(new QuorumMember.Propose(command, probe.ref()));
    return assertInstanceOf(QuorumMember.Result.class, probe.receiveMessage(Duration.ofSeconds(10)));
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
