package dev.pacific.controlplane.quorum;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Requests start no threads. On a machine with fewer than three cores the common pool has parallelism 1 and
 * CompletableFuture runs each async task on a new thread; a continuation on the ask's (Scala-converted) stage
 * was one such task per request.
 */
class QuorumClientThreadsTest {

  @Test
  void writesAndReadsStartNoThreadPerRequest() {
    try (OneMemberQuorum q = new OneMemberQuorum(MonotonicClock.SYSTEM, "")) {
      byte[] key = "k".getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 50; i++) { // warm up: pools and timers start their threads
        OneMemberQuorum.await(q.kv.put(key, new byte[] {(byte) i}, OptionalLong.empty()));
      }
      long before = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
      for (int i = 0; i < 300; i++) {
        OneMemberQuorum.await(q.kv.put(key, new byte[] {(byte) i}, OptionalLong.empty()));
        OneMemberQuorum.await(q.kv.get(key));
      }
      long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before;
      System.out.printf("600 requests started %d threads (%d cores)%n", started,
          Runtime.getRuntime().availableProcessors());
      assertTrue(started < 30, started + " threads started for 600 requests");
    }
  }
}
