package dev.pacific.controlplane.scheduler;

import static dev.pacific.controlplane.persistence.QuorumFixture.await;
import static dev.pacific.controlplane.persistence.QuorumFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Pod;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.quorum.QuorumKv;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A feed knows how far it has seen (progress marks included) and tells when it stands still behind its member. */
class RegistryFeedTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aFeedFollowsProgressAndIsStalledOnlyWhenItStandsStillBehindItsMember() throws Exception {
    try (SchedulingCluster cluster = new SchedulingCluster("")) {
      RegistryFeed feed = new RegistryFeed(cluster.quorum.system(), cluster.reader);
      List<RegistryReader.Change> seen = new CopyOnWriteArrayList<>();
      feed.follow(ResourceKind.PODS, cluster.reader.localRevision(), seen::add, e -> { });

      Pod pod = cluster.create(Hosts.pod("followed", "10m", "16Mi"));
      long created = Long.parseLong(pod.metadata().resourceVersion());
      assertTrue(eventually(WAIT, () -> seen.stream().anyMatch(c -> c.record().ref().name().equals("followed"))),
          "the pod's creation is followed");
      long other = put(cluster.quorum.kv, "elsewhere/one");
      assertTrue(eventually(WAIT, () -> feed.revision() >= other),
          "a change outside the feed's kind still moves it (a progress mark): " + feed.revision() + " < " + other);
      assertTrue(feed.revision() > created);
      assertFalse(feed.stalledFor(Duration.ZERO), "caught up with its member: not stalled");

      feed.stop(); // stands for a watch that stopped delivering without failing
      long after = put(cluster.quorum.kv, "elsewhere/two");
      assertTrue(eventually(WAIT, () -> cluster.reader.localRevision() >= after));
      assertFalse(feed.stalledFor(Duration.ofHours(1)), "behind, but not yet for the patience given");
      assertTrue(feed.stalledFor(Duration.ZERO), "behind its member at one revision: stalled");
    }
  }

  private static long put(QuorumKv kv, String key) {
    QuorumKv.Outcome o = await(kv.put(key.getBytes(StandardCharsets.UTF_8),
        "v".getBytes(StandardCharsets.UTF_8), OptionalLong.empty()));
    return ((QuorumKv.Outcome.Written) o).revision();
  }
}
