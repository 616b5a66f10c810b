package dev.pacific.deploy.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.deploy.launcher.ClusterFile;
import dev.pacific.deploy.launcher.Distribution;
import dev.pacific.deploy.launcher.Launcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (runs only with {@code -Pbench}): {@code /healthz} requests per second
 * and p50/p99 latency straight to the API server and through the L4 load balancer, with the
 * ratio. One control-plane member, so both paths end at the same server and the ratio is the
 * balancer's cost. Rounds alternate so that machine noise hits both sides alike.
 */
@Tag("benchmark")
class HealthzBenchmarkIT {

  private static final int CLIENTS = Integer.getInteger("bench.clients", 8);
  private static final double SECONDS = Double.parseDouble(System.getProperty("bench.seconds", "10"));
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 2);

  @Test
  void healthzDirectAndThroughTheLoadBalancer() throws Exception {
    Path dir = Files.createTempDirectory("pacific-bench-");
    Launcher launcher = new Launcher(dir, Distribution.fromSystemProperty(), System.out);
    try {
      ClusterFile cluster = launcher.up(new Launcher.UpOptions(1, 0, "process", "256m", Duration.ofSeconds(300),
          List.of()));
      int direct = cluster.member("cp-1").orElseThrow().httpPort();
      int lb = cluster.member("lb-1").orElseThrow().httpPort();
      for (boolean keepAlive : new boolean[] {true, false}) {
        String mode = keepAlive ? "keep-alive" : "new connection per request";
        List<HttpLoad.Result> directRuns = new ArrayList<>();
        List<HttpLoad.Result> lbRuns = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
          directRuns.add(HttpLoad.run("direct  (" + mode + ") #" + round, direct, "/healthz", CLIENTS, 3, SECONDS,
              keepAlive));
          lbRuns.add(HttpLoad.run("via LB  (" + mode + ") #" + round, lb, "/healthz", CLIENTS, 3, SECONDS,
              keepAlive));
        }
        System.out.println();
        System.out.printf("/healthz, %d clients, %s, %d rounds of %.0f s:%n", CLIENTS, mode, ROUNDS, SECONDS);
        directRuns.forEach(r -> System.out.println("  " + r.line()));
        lbRuns.forEach(r -> System.out.println("  " + r.line()));
        double d = directRuns.stream().mapToDouble(HttpLoad.Result::perSecond).average().orElse(0);
        double l = lbRuns.stream().mapToDouble(HttpLoad.Result::perSecond).average().orElse(0);
        System.out.printf("  throughput ratio LB/direct: %.2f%n", l / d);
        assertTrue(d > 0 && l > 0, "both paths served requests");
      }
    } finally {
      launcher.destroy();
    }
  }
}
