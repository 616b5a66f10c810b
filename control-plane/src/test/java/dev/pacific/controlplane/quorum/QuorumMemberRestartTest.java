package dev.pacific.controlplane.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.pacific.controlplane.quorum.raft.Entry;
import dev.pacific.controlplane.quorum.raft.Snapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A member whose actor fails restarts in its process from what its storage holds, and goes on serving: before,
 * it stayed up with a stopped quorum actor, answering nothing (the failure seen was a watcher's queue throwing
 * inside apply, after the batch was written).
 */
class QuorumMemberRestartTest {

  private static final Duration LONG = Duration.ofSeconds(30);

  /** Applies through the real state machine, then throws once on its {@code failAt}-th batch. */
  private static final class FailsOnceAfterApplying implements StateMachine {
    private final StateMachine real;
    private final int failAt;
    private final AtomicInteger batches = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger reloads = new AtomicInteger();

    FailsOnceAfterApplying(StateMachine real, int failAt) {
      this.real = real;
      this.failAt = failAt;
    }

    @Override public long appliedIndex() {
      return real.appliedIndex();
    }

    @Override public List<byte[]> applyBatch(List<Entry> entries) {
      List<byte[]> results = real.applyBatch(entries);
      if (batches.incrementAndGet() == failAt) {
        failures.incrementAndGet();
        throw new IllegalStateException("injected: failed after the batch was written");
      }
      return results;
    }

    @Override public byte[] query(byte[] query) {
      return real.query(query);
    }

    @Override public byte[] renew(byte[] request) {
      return real.renew(request);
    }

    @Override public boolean durable() {
      return real.durable();
    }

    @Override public void sync() {
      real.sync();
    }

    @Override public byte[] snapshot() {
      return real.snapshot();
    }

    @Override public void restore(Snapshot snapshot) {
      real.restore(snapshot);
    }

    @Override public String stateHash() {
      return real.stateHash();
    }

    @Override public byte[] stamp(byte[] command, long leaderTimeMillis) {
      return real.stamp(command, leaderTimeMillis);
    }

    @Override public List<byte[]> leaderProposals(boolean newLeader) {
      return real.leaderProposals(newLeader);
    }

    @Override public void reload() {
      reloads.incrementAndGet();
      real.reload();
    }
  }

  @Test
  void aMemberWhoseActorFailsRestartsFromItsStorageAndKeepsServing() throws Exception {
    String fast = "pacific.quorum.restart-backoff-min = 50ms\npacific.quorum.restart-backoff-max = 200ms";
    try (TestQuorum q = TestQuorum.onLevelDb(MonotonicClock.SYSTEM, fast)) {
      q.startOnLevelDb("cp-1");
      q.startOnLevelDb("cp-2");
      FailsOnceAfterApplying[] failing = new FailsOnceAfterApplying[1];
      q.startOnLevelDb("cp-3", real -> failing[0] = new FailsOnceAfterApplying(real, 40));
      assertNotNull(q.awaitLeader(LONG));
      QuorumKv viaFailing = q.kv("cp-3");
      long started = System.nanoTime();
      int writes = 300;
      for (int i = 0; i < writes; i++) {
        QuorumKv.Outcome o = TestQuorum.await(viaFailing.put(b("k/" + i), b("v" + i), OptionalLong.empty()));
        assertInstanceOf(QuorumKv.Outcome.Written.class, o, "write " + i + " through the member that fails");
      }
      System.out.printf("%d writes through a member whose actor failed once took %d ms%n", writes,
          (System.nanoTime() - started) / 1_000_000);
      assertEquals(1, failing[0].failures.get(), "the injected failure struck");
      assertEquals(1, failing[0].reloads.get(), "the restarted member read its state machine again");
      q.awaitSameState(LONG);
      assertEquals("v" + (writes - 1), new String(TestQuorum.await(viaFailing.get(b("k/" + (writes - 1))))
          .orElseThrow().value(), StandardCharsets.UTF_8), "a linearizable read through the restarted member");
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
