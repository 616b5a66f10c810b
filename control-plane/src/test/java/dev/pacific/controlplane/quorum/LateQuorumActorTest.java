package dev.pacific.controlplane.quorum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A restarting member's peers send to its {@code /user/quorum} before the member has opened its
 * storage and spawned it. Those first messages are dead letters; the ones after must not be, however
 * Artery compresses the recipient on the wire.
 */
class LateQuorumActorTest {

  private static final Duration LONG = Duration.ofSeconds(20);

  @Test
  void aMemberWhoseQuorumActorStartsAfterItsPeersWroteToItStillHearsThem() throws Exception {
    // Artery advertises compression tables every second here (a minute by default), so a table built
    // while the actor did not exist yet is in use within the test.
    String fastTables = "pekko.remote.artery.advanced.compression.actor-refs.advertisement-interval = 1s";
    try (TestQuorum q = new TestQuorum(10_000, fastTables)) {
      q.start("cp-1", new MemoryLog(), new TestQuorum.CountingKv());
      q.start("cp-2", new MemoryLog(), new TestQuorum.CountingKv());
      assertNotNull(q.awaitLeader(LONG));
      q.start("cp-3", new MemoryLog(), new TestQuorum.CountingKv(), Duration.ofSeconds(2));
      Thread.sleep(3_000); // a few advertisements
      String leader = q.awaitLeader(LONG);
      assertNotNull(leader);
      byte[] value = {4, 2};
      TestQuorum.await(q.client(leader).propose(MemoryKv.put("late", value)));
      // cp-3 must apply what the leader sends it, and serve a linearizable read through its own member
      assertArrayEquals(value, TestQuorum.await(q.client("cp-3").read(MemoryKv.get("late"))).value());
      q.awaitSameState(LONG);
    }
  }
}
