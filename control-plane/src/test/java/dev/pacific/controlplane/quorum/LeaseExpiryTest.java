package dev.pacific.controlplane.quorum;

import static dev.pacific.controlplane.quorum.OneMemberQuorum.await;
import static dev.pacific.controlplane.quorum.OneMemberQuorum.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.store.KvResult.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Lease expiry is the leader's decision on its own monotonic clock (a {@link FakeClock} here):
 * expiry deletes the attached keys, keep-alives prevent it, and a new leader gives every lease a
 * full TTL again (etcd's rule), so a failover does not expire a lease that was kept alive.
 */
class LeaseExpiryTest {

  private static final Duration SOON = Duration.ofSeconds(10);

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean present(QuorumKv kv, String key) {
    return await(kv.get(b(key))).isPresent();
  }

  @Test
  void expiryDeletesTheAttachedKeysAndNothingElse() throws Exception {
    FakeClock clock = new FakeClock();
    try (OneMemberQuorum q = new OneMemberQuorum(clock, "")) {
      long lease = await(q.kv.grant(QuorumKv.newLeaseId(), 2_000)).id();
      await(q.kv.put(b("hosts/a"), b("up"), OptionalLong.empty(), lease));
      await(q.kv.put(b("hosts/b"), b("up"), OptionalLong.empty(), lease));
      await(q.kv.put(b("other"), b("x"), OptionalLong.empty()));
      clock.advance(Duration.ofMillis(1_900));
      Thread.sleep(200); // ten ticks of the leader: not expired yet
      assertTrue(present(q.kv, "hosts/a"));
      clock.advance(Duration.ofMillis(200));
      assertTrue(eventually(SOON, () -> !present(q.kv, "hosts/a") && !present(q.kv, "hosts/b")));
      assertTrue(present(q.kv, "other"));
      assertEquals(Reason.LEASE_NOT_FOUND, refusal(() -> await(q.kv.keepAlive(lease))));
    }
  }

  @Test
  void keepAlivesPreventExpiry() throws Exception {
    FakeClock clock = new FakeClock();
    try (OneMemberQuorum q = new OneMemberQuorum(clock, "")) {
      long lease = await(q.kv.grant(QuorumKv.newLeaseId(), 2_000)).id();
      await(q.kv.put(b("hosts/a"), b("up"), OptionalLong.empty(), lease));
      for (int i = 0; i < 5; i++) {
        clock.advance(Duration.ofMillis(1_500));
        Thread.sleep(60);
        await(q.kv.keepAlive(lease));
      }
      Thread.sleep(200);
      assertTrue(present(q.kv, "hosts/a"), "7.5 s of a 2 s lease, kept alive every 1.5 s");
      clock.advance(Duration.ofMillis(2_100));
      assertTrue(eventually(SOON, () -> !present(q.kv, "hosts/a")), "expires once the keep-alives stop");
    }
  }

  @Test
  void aTtlBelowTheMinimumIsRefusedWithTheMinimum() {
    try (OneMemberQuorum q = new OneMemberQuorum(new FakeClock(), "")) {
      // tick 20 ms, election-ticks 6: the longest election timeout is 240 ms, the minimum TTL 3 of them
      QuorumKv.Refused e = refused(() -> await(q.kv.grant(1, 100)));
      assertEquals(Reason.TTL_TOO_SHORT, e.reason());
      assertTrue(e.getMessage().contains("minimum of 720 ms"), e.getMessage());
    }
  }

  @Test
  void aLeaderChangeDoesNotExpireALeaseThatWasKeptAlive() throws Exception {
    FakeClock clock = new FakeClock();
    try (TestQuorum q = TestQuorum.onLevelDb(clock, "").startAll()) {
      String leader = q.awaitLeader(SOON);
      assertNotNull(leader);
      String survivor = TestQuorum.NAMES.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
      QuorumKv kv = q.kv(survivor);
      long lease = await(kv.grant(QuorumKv.newLeaseId(), 3_000)).id();
      await(kv.put(b("hosts/h1"), b("up"), OptionalLong.empty(), lease));
      await(kv.keepAlive(lease));
      clock.advance(Duration.ofMillis(2_500));
      q.stop(leader);
      String next = q.awaitLeader(Duration.ofSeconds(20));
      assertNotNull(next, "a new leader");
      clock.advance(Duration.ofMillis(1_000)); // 3.5 s since the keep-alive: past the TTL by the old deadline
      Thread.sleep(500);
      assertTrue(present(kv, "hosts/h1"), "the new leader restarted the TTL when it took over");
      clock.advance(Duration.ofMillis(3_100));
      assertTrue(eventually(SOON, () -> !present(kv, "hosts/h1")), "and expires it a full TTL later");
    }
  }

  @Test
  void keepAlivesThroughAFollowerRenewOnTheLeaderWithoutAnEntryInTheLog() throws Exception {
    FakeClock clock = new FakeClock();
    try (TestQuorum q = TestQuorum.onLevelDb(clock, "").startAll()) {
      String leader = q.awaitLeader(SOON);
      assertNotNull(leader);
      String follower = TestQuorum.NAMES.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
      QuorumKv kv = q.kv(follower);
      long lease = await(kv.grant(QuorumKv.newLeaseId(), 3_000)).id();
      await(kv.put(b("hosts/h1"), b("up"), OptionalLong.empty(), lease));
      long lastIndex = q.status(leader).lastIndex();
      long started = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        clock.advance(Duration.ofMillis(2_000));
        Thread.sleep(60);
        assertEquals(3_000, await(kv.keepAlive(lease)).ttlMillis());
      }
      System.out.printf("5 keep-alives through a follower in %d ms%n", (System.nanoTime() - started) / 1_000_000);
      Thread.sleep(300);
      assertTrue(present(kv, "hosts/h1"), "10 s of a 3 s lease, kept alive every 2 s through " + follower);
      assertEquals(lastIndex, q.status(leader).lastIndex(), "keep-alives appended nothing to the leader's log");
      clock.advance(Duration.ofMillis(3_100));
      assertTrue(eventually(SOON, () -> !present(kv, "hosts/h1")), "expires once the keep-alives stop");
      assertEquals(Reason.LEASE_NOT_FOUND, refusal(() -> await(kv.keepAlive(lease))));
    }
  }

  private static Reason refusal(Runnable r) {
    return refused(r).reason();
  }

  private static QuorumKv.Refused refused(Runnable r) {
    try {
      r.run();
    } catch (AssertionError e) {
      Throwable c = e.getCause();
      while (c instanceof ExecutionException || c instanceof CompletionException) {
        c = c.getCause();
      }
      if (c instanceof QuorumKv.Refused refused) {
        return refused;
      }
      throw e;
    }
    assertFalse(true, "not refused");
    return null;
  }
}
