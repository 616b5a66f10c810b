package dev.pacific.deploy.bench;

import dev.pacific.deploy.launcher.Distribution;
import dev.pacific.deploy.launcher.Launcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (runs only with {@code -Pbench}): {@code pacific bench kv} briefly on a
 * fresh 3-member cluster — put/s and p50/p90/p99, one leader failover, and etcd side by side when
 * it is installed (or {@code -Dbench.etcd=true} to install it). Prints; asserts nothing.
 */
@Tag("benchmark")
class KvBenchmarkIT {

  private static final int CLIENTS = Integer.getInteger("bench.clients", 16);
  private static final double SECONDS = Double.parseDouble(System.getProperty("bench.seconds", "5"));
  private static final int FAILOVERS = Integer.getInteger("bench.failovers", 1);
  private static final boolean ETCD = Boolean.parseBoolean(System.getProperty("bench.etcd",
      String.valueOf(Files.isExecutable(Path.of("/usr/bin/etcd")))));

  @Test
  void kvPutsAndFailover() throws Exception {
    Path dir = Files.createTempDirectory("pacific-bench-kv-");
    Launcher launcher = new Launcher(dir, Distribution.fromSystemProperty(), System.out);
    try {
      launcher.up(new Launcher.UpOptions(3, 0, "process", "256m", Duration.ofSeconds(300), List.of()));
      new KvBench(launcher, new KvBench.Options(CLIENTS, SECONDS, 256, FAILOVERS, ETCD), System.out).run();
    } finally {
      launcher.destroy();
    }
  }
}
