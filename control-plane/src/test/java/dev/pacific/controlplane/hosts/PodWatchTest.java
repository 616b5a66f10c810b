package dev.pacific.controlplane.hosts;

import static dev.pacific.controlplane.persistence.QuorumFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Pod;
import dev.pacific.controlplane.entities.Mutations;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.wire.BoundPods;
import dev.pacific.wire.HostGatewayProtocol.StopWatching;
import dev.pacific.wire.HostGatewayProtocol.WatchPods;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code WatchPods}: the list in chunks, changes by revision, resuming, leaving, and resync. */
class PodWatchTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static GatewayFixture f;

  @BeforeAll
  static void start() throws InterruptedException {
    f = new GatewayFixture();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  /** The next event that is not a bookmark. */
  private static BoundPods.Event next(TestProbe<BoundPods.Event> probe) {
    BoundPods.Event e;
    do {
      e = probe.receiveMessage(WAIT);
    } while (e instanceof BoundPods.Bookmark);
    return e;
  }

  private static List<BoundPods.Listed> list(TestProbe<BoundPods.Event> probe) {
    List<BoundPods.Listed> chunks = new ArrayList<>();
    BoundPods.Listed chunk;
    do {
      chunk = assertInstanceOf(BoundPods.Listed.class, next(probe));
      chunks.add(chunk);
    } while (!chunk.last());
    return chunks;
  }

  private static void delete(String name) {
    Mutations.Outcome o = await(f.entities.mutations().delete(new ObjectRef(ResourceKind.PODS, "default", name),
        new Mutations.DeleteOptions(0L, null, null)));
    assertInstanceOf(Mutations.Outcome.Done.class, o, () -> "delete " + name + ": " + o);
  }

  @Test
  void aWatchFromZeroListsInChunksAtOneRevisionThenFollowsChanges() {
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 8; i++) {
      expected.add(f.createBound("w-" + i, "host-w").metadata().name());
    }
    f.createBound("elsewhere", "host-other");
    TestProbe<BoundPods.Event> probe = f.quorum.kit.createTestProbe();
    f.gateway.tell(new WatchPods("host-w", 7, 0, probe.ref()));
    List<BoundPods.Listed> chunks = list(probe);
    assertTrue(chunks.size() > 1, "2 KiB chunks hold a few pods each: " + chunks.size() + " chunk(s)");
    Set<String> listed = new HashSet<>();
    chunks.forEach(c -> c.pods().forEach(p -> listed.add(p.metadata().name())));
    assertEquals(expected, listed);
    assertEquals(1, chunks.stream().map(BoundPods.Listed::revision).distinct().count(), "one revision");
    assertTrue(chunks.stream().allMatch(c -> c.watchId() == 7));
    long listedAt = chunks.get(0).revision();

    Pod added = f.createBound("w-new", "host-w");
    BoundPods.Bound bound = assertInstanceOf(BoundPods.Bound.class, next(probe));
    assertEquals(added.metadata().uid(), bound.pod().metadata().uid());
    assertTrue(bound.revision() > listedAt);

    delete("w-0");
    BoundPods.Unbound gone = assertInstanceOf(BoundPods.Unbound.class, next(probe));
    assertEquals("w-0", gone.name());

    Mutations.Outcome moved = await(f.entities.pods().rebind(new ObjectRef(ResourceKind.PODS, "default", "w-1"),
        "host-other"));
    assertInstanceOf(Mutations.Outcome.Done.class, moved, moved::toString);
    assertEquals("w-1", assertInstanceOf(BoundPods.Unbound.class, next(probe)).name(), "moved away is unbound");

    f.gateway.tell(new StopWatching("host-w", 7));
    f.createBound("w-after-stop", "host-w");
    probe.expectNoMessage(Duration.ofMillis(800));
  }

  @Test
  void aWatchResumesStrictlyAfterItsRevisionAndKnowsWhatWasBoundThen() {
    f.createBound("r-1", "host-r");
    f.createBound("r-2", "host-r");
    TestProbe<BoundPods.Event> first = f.quorum.kit.createTestProbe();
    f.gateway.tell(new WatchPods("host-r", 1, 0, first.ref()));
    long at = list(first).get(0).revision();
    f.gateway.tell(new StopWatching("host-r", 1));

    delete("r-1"); // while the host was away
    Pod later = f.createBound("r-3", "host-r");

    TestProbe<BoundPods.Event> resumed = f.quorum.kit.createTestProbe();
    f.gateway.tell(new WatchPods("host-r", 2, at, resumed.ref()));
    assertEquals(at, assertInstanceOf(BoundPods.Resumed.class, next(resumed)).fromRevision());
    assertEquals("r-1", assertInstanceOf(BoundPods.Unbound.class, next(resumed)).name());
    assertEquals(later.metadata().uid(),
        assertInstanceOf(BoundPods.Bound.class, next(resumed)).pod().metadata().uid());
  }

  @Test
  void aNewerWatchOfTheSameHostEndsTheOlderOne() {
    TestProbe<BoundPods.Event> old = f.quorum.kit.createTestProbe();
    f.gateway.tell(new WatchPods("host-n", 1, 0, old.ref()));
    list(old);
    TestProbe<BoundPods.Event> newer = f.quorum.kit.createTestProbe();
    f.gateway.tell(new WatchPods("host-n", 2, 0, newer.ref()));
    list(newer);
    f.createBound("n-1", "host-n");
    assertEquals(2, assertInstanceOf(BoundPods.Bound.class, next(newer)).watchId());
    old.expectNoMessage(Duration.ofMillis(500));
  }

  @Test
  void aResumeFromACompactedRevisionStillResumes() {
    f.createBound("c-1", "host-c");
    TestProbe<BoundPods.Event> first = f.quorum.kit.createTestProbe();
    f.gateway.tell(new WatchPods("host-c", 1, 0, first.ref()));
    long at = list(first).get(0).revision();
    f.gateway.tell(new StopWatching("host-c", 1));
    Pod later = f.createBound("c-2", "host-c");
    await(f.quorum.kv.compact(Long.parseLong(later.metadata().resourceVersion())));

    // The member's pod cache remembers what left each host, not the history: compaction does not end a resume.
    TestProbe<BoundPods.Event> probe = f.quorum.kit.createTestProbe();
    f.gateway.tell(new WatchPods("host-c", 2, at, probe.ref()));
    assertEquals(at, assertInstanceOf(BoundPods.Resumed.class, next(probe)).fromRevision());
    assertEquals(later.metadata().uid(), assertInstanceOf(BoundPods.Bound.class, next(probe)).pod().metadata().uid());
  }
}
