package dev.pacific.controlplane.entities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Pod;
import dev.pacific.api.PodSpec;
import dev.pacific.api.ResourceList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PodResourcesTest {

  @Test
  void requestsSumOverContainersAndTakeTheLargestInitContainer() {
    PodSpec spec = new PodSpec(
        List.of(Pods.container("init", Map.of("cpu", "3", "memory", "64Mi"), Map.of())),
        List.of(Pods.container("a", Map.of("cpu", "500m", "memory", "128Mi"), Map.of()),
            Pods.container("b", Map.of("cpu", "1", "memory", "128Mi"), Map.of())),
        "Always", null, null, Map.of(), null, null, null, null);
    ResourceList r = PodUsage.requests(spec);
    assertEquals(ResourceList.parse(Map.of("cpu", "3", "memory", "256Mi")), r);
  }

  @Test
  void quotaUsageCountsOnePodAndItsRequestsAndLimits() {
    Pod pod = Pods.pod("ns", "p", "u1",
        Pods.container("a", Map.of("cpu", "250m", "memory", "1Gi"), Map.of("cpu", "1", "memory", "2Gi")),
        Pods.container("b", Map.of("cpu", "250m"), Map.of()));
    assertEquals(ResourceList.parse(Map.of("pods", "1", "requests.cpu", "500m", "requests.memory", "1Gi",
        "limits.cpu", "1", "limits.memory", "2Gi")), PodUsage.quotaUsage(pod));
  }

  @Test
  void terminalPodsCountNothing() {
    Pod pod = Pods.sized("ns", "p", "u1", "1", "1Gi");
    assertTrue(PodUsage.quotaUsage(Pods.phase(pod, "Succeeded")).isEmpty());
    assertTrue(PodUsage.quotaUsage(Pods.phase(pod, "Failed")).isEmpty());
    assertEquals(5, PodUsage.quotaUsage(Pods.phase(pod, "Running")).size());
  }

  @Test
  void unstatedNamesEveryContainerMissingAComputeKey() {
    Pod pod = Pods.pod("ns", "p", "u1",
        Pods.container("a", Map.of("cpu", "1"), Map.of("cpu", "1")),
        Pods.container("b", Map.of(), Map.of()));
    var missing = PodUsage.unstated(pod.spec());
    assertEquals(Set.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory"), missing.keySet());
    assertEquals(new TreeSet<>(Set.of("b")), missing.get("requests.cpu"));
    assertEquals(new TreeSet<>(Set.of("a", "b")), missing.get("limits.memory"));
  }
}
