package dev.pacific.host.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a restarted spherelet relies on: the runtime lists the instances it still runs (with their
 * launch), and kills processes that carry the host's markers without being its own.
 */
class StraysAndInstancesTest {

  @Test
  void theRuntimeListsWhatItStillRunsWithTheLaunchThatStartedIt() throws Exception {
    try (HostUnderTest host = new HostUnderTest()) {
      var launch = host.launch("uid-listed", List.of("sleep", "1000"));
      RunningContainer c = host.started(launch);
      List<RunningInstance> listed = host.runtime.instances();
      assertEquals(1, listed.size());
      assertEquals(launch, listed.get(0).launch());
      assertEquals(c.id(), listed.get(0).container().id());

      c.stop(Duration.ZERO).toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertTrue(host.runtime.instances().isEmpty(), "an ended instance is no longer listed");
    }
  }

  @Test
  void markedProcessesTheRuntimeDidNotStartAreKilledAndItsOwnAreLeftAlone() throws Exception {
    try (HostUnderTest host = new HostUnderTest()) {
      RunningContainer own = host.started(host.launch("uid-own", List.of("sleep", "1000")));
      // A process of an earlier run: marked, orphaned (its parent shell exits), so no longer ours.
      ProcessBuilder pb = new ProcessBuilder("sh", "-c", "setsid sleep 1000 >/dev/null 2>&1 &");
      pb.environment().putAll(host.markers.forPod("uid-stray"));
      pb.start().waitFor(10, TimeUnit.SECONDS);
      assertEquals(1, MarkedProcesses.ofPod(host.markers, "uid-stray").size(), "the stray runs");

      int killed = host.runtime.killStrays().toCompletableFuture().get(20, TimeUnit.SECONDS);

      assertEquals(1, killed);
      assertEquals(List.of(), MarkedProcesses.ofPod(host.markers, "uid-stray"), "the stray is gone");
      assertEquals(1, MarkedProcesses.ofPod(host.markers, "uid-own").size(), "the runtime's own runs on");
      assertTrue(host.runtime.instances().stream().anyMatch(i -> i.container().id().equals(own.id())));
    }
  }
}
