package dev.pacific.controlplane.quorum;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The write outage after a leader dies, in one JVM over real Artery and LevelDB, with the leader probe
 * off (the election timeout alone) and on, alternating so both see the same machine: a client gives up
 * on a put after 0.1 s and sends another, as {@code pacific bench kv --failover} does, through a
 * surviving member. Stopping a member's actor system closes its port, as a SIGKILL does. Prints, never
 * asserts; skipped unless {@code pacific.bench} is set. Run with {@code mvn -q -pl control-plane -am test
 * -Dtest=FailoverBenchmark -Dpacific.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class FailoverBenchmark {

  @Test
  void writeOutageAfterTheLeaderDiesWithAndWithoutTheLeaderProbe() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("pacific.bench"), "set -Dpacific.bench=true to run");
    Map<String, List<Long>> outages = new TreeMap<>();
    for (int round = 0; round < Integer.getInteger("pacific.bench.rounds", 4); round++) {
      for (int probeTicks : new int[] {0, 2}) {
        String mode = probeTicks == 0 ? "election timeout only" : "leader probe";
        outages.computeIfAbsent(mode, m -> new ArrayList<>()).add(oneFailover(probeTicks));
      }
    }
    outages.forEach((mode, ms) -> System.out.printf("failover, %s: write outage %s ms%n", mode, ms));
  }

  private static long oneFailover(int probeTicks) throws Exception {
    try (TestQuorum q = TestQuorum.onLevelDb(MonotonicClock.SYSTEM, "pacific.quorum.leader-probe-after-ticks = "
        + probeTicks + "\npacific.quorum.client.attempt-timeout = 100ms\npacific.quorum.client.backoff-min = 10ms",
        10_000).startAll()) {
      String leader = q.awaitLeader(Duration.ofSeconds(30));
      String via = TestQuorum.NAMES.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
      QuorumKv kv = q.kv(via);
      for (int i = 0; i < 50; i++) {
        put(kv, "warm-" + i, 5_000);
      }
      Thread.sleep(500);
      long t0 = System.nanoTime();
      q.stop(leader);
      while (System.nanoTime() - t0 < 30_000_000_000L) {
        if (put(kv, "after", 100)) {
          return (System.nanoTime() - t0) / 1_000_000;
        }
      }
      return -1;
    }
  }

  private static boolean put(QuorumKv kv, String key, long timeoutMillis) throws InterruptedException {
    try {
      kv.put(key.getBytes(StandardCharsets.UTF_8), new byte[8], OptionalLong.empty()).toCompletableFuture()
          .get(timeoutMillis, TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return false;
    }
  }
}
