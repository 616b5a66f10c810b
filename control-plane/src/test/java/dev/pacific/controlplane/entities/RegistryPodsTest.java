package dev.pacific.controlplane.entities;

import static dev.pacific.controlplane.persistence.QuorumFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pacific.controlplane.scheduler.Hosts;
import dev.pacific.controlplane.scheduler.SchedulingCluster;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.Test;

/** The registry's pods, read a page at a time at one revision: every pod once, whatever the page size. */
class RegistryPodsTest {

  @Test
  void pagedReadsReturnEveryPodOnce() throws Exception {
    try (SchedulingCluster cluster = new SchedulingCluster("")) {
      IntStream.range(0, 7).forEach(i -> cluster.create(Hosts.pod("web-" + i, "100m", "64Mi")));
      RegistryPods pods = new RegistryPods(cluster.quorum.kv, SerializationExtension.get(cluster.quorum.system()),
          () -> cluster.entities.mutations(), 3);
      List<String> names = await(pods.inNamespace("default")).stream().map(p -> p.metadata().name()).sorted().toList();
      assertEquals(IntStream.range(0, 7).mapToObj(i -> "web-" + i).toList(), names, "7 pods in pages of 3");
      assertEquals(List.of(), await(pods.onNode("nowhere")), "no pod is bound");
    }
  }
}
