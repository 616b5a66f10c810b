package dev.pacific.controlplane.quorum;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The quorum alone, without HTTP or the load balancer: three members in one JVM over real Artery and
 * LevelDB, {@code pacific.bench.inflight} puts (default 16) kept in flight through QuorumKv, spread
 * over the three members as the API's clients would be, for {@code pacific.bench.seconds} (default 10).
 * Prints put/s and p50/p99; compare with {@code pacific bench kv} to see what HTTP and the LB cost.
 * Skipped unless {@code pacific.bench} is set: {@code mvn -q -pl control-plane -am test
 * -Dtest=ThroughputBenchmark -Dpacific.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class ThroughputBenchmark {

  @Test
  void putsPerSecondThroughTheMembers() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("pacific.bench"), "set -Dpacific.bench=true to run");
    int inflight = Integer.getInteger("pacific.bench.inflight", 16);
    long seconds = Long.getLong("pacific.bench.seconds", 10);
    try (TestQuorum q = TestQuorum.onLevelDb(MonotonicClock.SYSTEM, "", 100_000).startAll()) {
      q.awaitLeader(Duration.ofSeconds(30));
      List<QuorumKv> via = TestQuorum.NAMES.stream().map(q::kv).toList();
      byte[] value = new byte[256];
      Arrays.fill(value, (byte) 'v');
      for (int i = 0; i < 200; i++) {
        TestQuorum.await(via.get(i % 3).put(key(i), value, OptionalLong.empty()));
      }
      Semaphore slots = new Semaphore(inflight);
      AtomicLong done = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      long start = System.nanoTime();
      for (long i = 0; System.nanoTime() < end; i++) {
        slots.acquire();
        long t0 = System.nanoTime();
        via.get((int) (i % 3)).put(key(i % 1000), value, OptionalLong.empty()).whenComplete((o, e) -> {
          if (e == null) {
            done.incrementAndGet();
            latencies.add(System.nanoTime() - t0);
          } else {
            errors.incrementAndGet();
          }
          slots.release();
        });
      }
      slots.acquire(inflight);
      double took = (System.nanoTime() - start) / 1e9;
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf("quorum alone: %d in flight, %.0f put/s, p50 %.2f ms, p99 %.2f ms, errors %d (load average "
          + "%.1f)%n", inflight, done.get() / took, sorted[sorted.length / 2] / 1e6,
          sorted[(int) (sorted.length * 0.99)] / 1e6, errors.get(),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static byte[] key(long i) {
    return ("bench/" + i).getBytes(StandardCharsets.UTF_8);
  }
}
