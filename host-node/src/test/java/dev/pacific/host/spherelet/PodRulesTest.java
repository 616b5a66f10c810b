package dev.pacific.host.spherelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Pod;
import dev.pacific.api.PodStatus;
import dev.pacific.host.runtime.ContainerExit;
import dev.pacific.host.runtime.ContainerLaunch;
import dev.pacific.host.runtime.ExecResult;
import dev.pacific.host.runtime.PodRef;
import dev.pacific.host.runtime.RunningContainer;
import dev.pacific.host.runtime.RunningInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class PodRulesTest {

  private static final Pod POD = FakeRegistry.pod("web", "Always", List.of("serve"), null);

  private static RunningInstance instance(String container, int restartCount, Instant startedAt, String id) {
    var launch = new ContainerLaunch(new PodRef(POD.metadata().uid(), "default", "web", "127.64.0.3"), container,
        restartCount, List.of("serve"), Map.of(), null);
    return new RunningInstance(launch, new RunningContainer() {
      public String id() {
        return id;
      }

      public Instant startedAt() {
        return startedAt;
      }

      public CompletionStage<ContainerExit> exit() {
        return new CompletableFuture<>();
      }

      public CompletionStage<ContainerExit> stop(Duration grace) {
        return new CompletableFuture<>();
      }

      public CompletionStage<ExecResult> exec(List<String> command, Duration timeout) {
        return new CompletableFuture<>();
      }
    });
  }

  @Test
  void adoptionTakesTheNewestInstanceOfEachContainerAndStopsTheRest() {
    Instant t = Instant.parse("2024-05-01T10:00:00Z");
    var older = instance("main", 0, t, "a");
    var newer = instance("main", 1, t.plusSeconds(5), "b");
    var unknown = instance("sidecar-removed", 0, t, "c");

    PodRules.Adoption a = PodRules.adoption(POD, List.of(older, unknown, newer));

    assertEquals(Map.of("main", newer), a.adopt());
    assertEquals(2, a.stop().size());
    assertTrue(a.stop().containsAll(List.of(older, unknown)), "no container runs twice");
  }

  @Test
  void aPodTheRegistryRecordsAsSucceededOrFailedNeverRunsAgain() {
    assertTrue(PodRules.finished(POD.withStatus(PodStatus.phase("Failed"))));
    assertTrue(PodRules.finished(POD.withStatus(PodStatus.phase("Succeeded"))));
    assertFalse(PodRules.finished(POD.withStatus(PodStatus.phase("Running"))));
    assertFalse(PodRules.finished(POD.withStatus(null)));
  }

  @Test
  void theDeletionsGraceWinsOverThePodsOwnWhichDefaultsToThirtySeconds() {
    assertEquals(Duration.ofSeconds(30), PodRules.specGrace(POD));
    assertEquals(Duration.ofSeconds(30), PodRules.deletionGrace(POD));
    Pod deleting = POD.withMetadata(POD.metadata().withDeletion("2024-05-01T10:00:00Z", 5L));
    assertTrue(PodRules.terminating(deleting));
    assertEquals(Duration.ofSeconds(5), PodRules.deletionGrace(deleting));
  }
}
