package dev.pacific.host.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimulatedRuntimeTest {

  private static ContainerLaunch launch(int i) {
    return new ContainerLaunch(new PodRef("sim-" + i, "default", "p" + i, null), "main", 0,
        List.of("serve"), Map.of(), null);
  }

  @Test
  void holdsAThousandPodsInASmallHeap() throws Exception {
    int pods = 1_000;
    long before = usedHeap();
    try (SimulatedRuntime runtime = new SimulatedRuntime(Duration.ofMillis(1), 0, 1)) {
      List<CompletableFuture<StartResult>> starts = new ArrayList<>();
      for (int i = 0; i < pods; i++) {
        starts.add(runtime.start(launch(i)).toCompletableFuture());
      }
      CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      assertEquals(pods, runtime.running());
      long after = usedHeap();
      System.out.printf("SimulatedRuntime: %d pods running, heap grew by %d KiB (%d bytes a pod)%n",
          pods, (after - before) / 1024, (after - before) / pods);
      assertTrue(after - before < 64L * 1024 * 1024, "a thousand simulated pods fit in well under 64 MiB");
      var first = ((StartResult.Started) starts.get(0).get()).container();
      assertEquals(143, first.stop(Duration.ofSeconds(30)).toCompletableFuture().get(5, TimeUnit.SECONDS).exitCode());
      assertEquals(pods - 1, runtime.running());
    }
  }

  @Test
  void failsTheConfiguredFractionOfStarts() throws Exception {
    try (SimulatedRuntime runtime = new SimulatedRuntime(Duration.ZERO, 0.25, 42)) {
      int failed = 0;
      for (int i = 0; i < 400; i++) {
        if (runtime.start(launch(i)).toCompletableFuture().get(5, TimeUnit.SECONDS) instanceof StartResult.Failed) {
          failed++;
        }
      }
      System.out.printf("SimulatedRuntime: %d of 400 starts failed at failure-rate 0.25%n", failed);
      assertTrue(failed > 50 && failed < 150, "about a quarter failed: " + failed);
    }
  }

  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
