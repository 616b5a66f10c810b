package dev.pacific.controlplane.quorum.store;

import static dev.pacific.controlplane.quorum.store.KvFixture.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.controlplane.quorum.store.KvCommand.Put;
import dev.pacific.controlplane.quorum.store.KvResult.PutResult;
import dev.pacific.controlplane.quorum.store.KvResult.Reason;
import dev.pacific.controlplane.quorum.store.KvResult.Rejected;
import org.junit.jupiter.api.Test;

/**
 * Client sessions (Ongaro's dissertation §6.3): a retried request is answered
 * from the session, never applied twice, and sessions expire by the leader
 * time carried in the log.
 */
class ExactlyOnceTest {

  private static final long CLIENT = 42;

  private static Reason rejection(KvResult r) {
    return assertInstanceOf(Rejected.class, r).reason();
  }

  @Test
  void aRetryOfTheSameSequenceReturnsTheFirstAnswerAndChangesNothing() {
    try (KvFixture kv = new KvFixture()) {
      kv.put("other", "x");
      KvResult first = kv.submit(CLIENT, 1, new Put(b("k"), b("v")));
      String hash = kv.store.stateHash();
      KvResult retry = kv.submit(CLIENT, 1, new Put(b("k"), b("v")));
      assertEquals(new PutResult(2), first);
      assertEquals(first, retry);
      assertEquals(2, kv.store.revision());
      assertEquals(1, kv.store.get(b("k")).orElseThrow().version());
      assertEquals(hash, kv.store.stateHash());
      assertEquals(new PutResult(3), kv.submit(CLIENT, 2, new Put(b("k"), b("v2"))));
    }
  }

  @Test
  void anOlderSequenceThanTheLastAppliedIsRejectedAsStale() {
    try (KvFixture kv = new KvFixture()) {
      kv.submit(CLIENT, 1, new Put(b("k"), b("1")));
      kv.submit(CLIENT, 2, new Put(b("k"), b("2")));
      assertEquals(Reason.STALE_SEQUENCE, rejection(kv.submit(CLIENT, 1, new Put(b("k"), b("1")))));
      assertEquals(2, kv.store.revision());
    }
  }

  @Test
  void aClientWithoutASessionMustStartAtSequenceOne() {
    try (KvFixture kv = new KvFixture()) {
      assertEquals(Reason.SESSION_EXPIRED, rejection(kv.submit(CLIENT, 5, new Put(b("k"), b("v")))));
      assertEquals(0, kv.store.revision());
      assertEquals(0, kv.store.sessionCount());
    }
  }

  @Test
  void sessionsExpireByTheLeaderTimeInTheLogNotByALocalClock() {
    try (KvFixture kv = new KvFixture(new KvSettings(1_000, 100))) {
      kv.leaderTime = 10_000;
      kv.submit(CLIENT, 1, new Put(b("k"), b("1")));
      kv.submit(7, 1, new Put(b("j"), b("1")));
      kv.leaderTime = 10_900;
      kv.submit(7, 2, new Put(b("j"), b("2")));
      kv.leaderTime = 11_500;
      kv.run(new Put(b("tick"), b("")));
      assertEquals(1, kv.store.sessionCount(), "client 42 idle 1.5 s expired; client 7 used 0.6 s ago lives");
      assertEquals(Reason.SESSION_EXPIRED, rejection(kv.submit(CLIENT, 2, new Put(b("k"), b("2")))));
      assertEquals(new PutResult(3), kv.submit(7, 2, new Put(b("j"), b("2"))));
    }
  }

  @Test
  void aLeaderWithASlowClockDoesNotTurnLogTimeBack() {
    try (KvFixture kv = new KvFixture(new KvSettings(1_000, 100))) {
      kv.leaderTime = 50_000;
      kv.submit(CLIENT, 1, new Put(b("k"), b("1")));
      kv.leaderTime = 5_000; // a new leader whose clock is behind
      kv.submit(7, 1, new Put(b("j"), b("1")));
      kv.leaderTime = 51_200;
      kv.run(new Put(b("tick"), b("")));
      assertEquals(0, kv.store.sessionCount(), "both sessions were last used at log time 50 000");
    }
  }

  @Test
  void beyondTheCapTheLeastRecentlyUsedSessionIsEvicted() {
    try (KvFixture kv = new KvFixture(new KvSettings(60_000, 2))) {
      kv.submit(1, 1, new Put(b("a"), b("1")));
      kv.submit(2, 1, new Put(b("b"), b("1")));
      kv.submit(1, 2, new Put(b("a"), b("2")));
      kv.submit(3, 1, new Put(b("c"), b("1")));
      assertEquals(2, kv.store.sessionCount());
      assertEquals(Reason.SESSION_EXPIRED, rejection(kv.submit(2, 2, new Put(b("b"), b("2")))));
      assertEquals(new PutResult(3), kv.submit(1, 2, new Put(b("a"), b("2"))));
    }
  }

  @Test
  void theSessionTableSurvivesARestart() {
    try (KvFixture kv = new KvFixture(new KvSettings(60_000, 2))) {
      KvResult first = kv.submit(CLIENT, 1, new Put(b("k"), b("v")));
      kv.submit(1, 1, new Put(b("a"), b("1")));
      kv.submit(CLIENT, 1, new Put(b("k"), b("v")));
      kv.reopen();
      assertEquals(first, kv.submit(CLIENT, 1, new Put(b("k"), b("v"))));
      assertEquals(2, kv.store.revision());
      // Touch order survived too: client 1 is now the least recently used and goes first.
      kv.submit(9, 1, new Put(b("z"), b("1")));
      assertTrue(kv.store.get(b("k")).isPresent());
      assertEquals(Reason.SESSION_EXPIRED, rejection(kv.submit(1, 2, new Put(b("a"), b("2")))));
    }
  }
}
