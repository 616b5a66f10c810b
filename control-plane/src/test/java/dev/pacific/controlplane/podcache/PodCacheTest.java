package dev.pacific.controlplane.podcache;

import static dev.pacific.controlplane.persistence.QuorumFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Pod;
import dev.pacific.api.PodStatus;
import dev.pacific.controlplane.entities.Mutations;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.scheduler.Hosts;
import dev.pacific.controlplane.scheduler.SchedulingCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A member's pod cache: a paged list, consistent reads (a write acknowledged before the read is in it, even when the
 * quorum's latest change was no pod), and subscriptions by host that resume from what they remember.
 */
class PodCacheTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static SchedulingCluster cluster;

  @BeforeAll
  static void start() throws InterruptedException {
    cluster = new SchedulingCluster("");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** A cache of its own, started now, with these settings. */
  private static PodCache cache(int pageSize, int departuresKept) {
    PodCacheSettings settings = new PodCacheSettings(Duration.ofSeconds(10), departuresKept, pageSize,
        Duration.ofMillis(200));
    return PodCache.start(cluster.quorum.system(), cluster.reader, cluster.quorum.kv, settings);
  }

  private static Pod bound(String name, String host) {
    Pod pod = Hosts.pod(name, "10m", "16Mi");
    pod = pod.withSpec(pod.spec().withNodeName(host));
    Mutations.Outcome o = await(cluster.entities.mutations().create(pod));
    for (int i = 0; i < 50 && o instanceof Mutations.Outcome.Failed; i++) { // "default" is created as entities start
      sleep(200);
      o = await(cluster.entities.mutations().create(pod));
    }
    Mutations.Outcome last = o;
    return (Pod) assertInstanceOf(Mutations.Outcome.Done.class, last, () -> "create " + name + ": " + last).object();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void delete(String name) {
    Mutations.Outcome o = await(cluster.entities.mutations().delete(
        new ObjectRef(ResourceKind.PODS, "default", name), new Mutations.DeleteOptions(0L, null, null)));
    assertInstanceOf(Mutations.Outcome.Done.class, o, () -> "delete " + name + ": " + o);
  }

  private static PodCache.Event next(BlockingQueue<PodCache.Event> events) throws InterruptedException {
    PodCache.Event e = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(e != null, "an event within " + WAIT);
    return e;
  }

  private static List<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.metadata().name()).sorted().toList();
  }

  @Test
  void listsInPagesAndReadsSeeEveryAcknowledgedWrite() throws Exception {
    IntStream.range(0, 7).forEach(i -> bound("paged-" + i, "host-p"));
    PodCache cache = cache(3, 100);
    try {
      assertEquals(IntStream.range(0, 7).mapToObj(i -> "paged-" + i).toList(), names(await(cache.onNode("host-p"))),
          "7 pods listed in pages of 3");
      bound("paged-7", "host-p");
      assertEquals(8, await(cache.onNode("host-p")).size(), "a pod created before the read is in it");

      // The quorum's latest change is no pod: the cache still reaches its revision (a progress mark), not waits.
      var written = await(cluster.quorum.kv.put("elsewhere/key".getBytes(StandardCharsets.UTF_8),
          "v".getBytes(StandardCharsets.UTF_8), OptionalLong.empty()));
      long revision = ((dev.pacific.controlplane.quorum.QuorumKv.Outcome.Written) written).revision();
      long started = System.nanoTime();
      long at = await(cache.consistent());
      System.out.printf("PodCacheTest: consistent read at %d (a non-pod write at %d) in %d ms%n", at, revision,
          (System.nanoTime() - started) / 1_000_000);
      assertTrue(at >= revision, "the cache reached " + revision + ": " + at);
      assertTrue(names(await(cache.inNamespace("default"))).containsAll(List.of("paged-0", "paged-7")));
    } finally {
      cache.stop();
    }
  }

  @Test
  void aSubscriptionHearsItsHostOnlyAndNotItsOwnStatusReports() throws Exception {
    bound("s-1", "host-s");
    PodCache cache = cache(500, 100);
    BlockingQueue<PodCache.Event> events = new LinkedBlockingQueue<>();
    PodCache.Subscription sub = cache.subscribe("host-s", 0, events::add);
    try {
      PodCache.Event.Listed listed = assertInstanceOf(PodCache.Event.Listed.class, next(events));
      assertEquals(List.of("s-1"), names(listed.pods()));

      bound("other", "host-other");
      Pod added = bound("s-2", "host-s");
      PodCache.Event.Bound b = assertInstanceOf(PodCache.Event.Bound.class, next(events), "not the other host's pod");
      assertEquals(added.metadata().uid(), b.pod().metadata().uid());

      Pod stored = cluster.pod("default", "s-2").orElseThrow();
      Mutations.Outcome reported = await(cluster.entities.pods().updateStatus(
          stored.withStatus(PodStatus.phase("Running"))));
      assertInstanceOf(Mutations.Outcome.Done.class, reported, reported::toString);
      long reportedAt = Long.parseLong(((Pod) ((Mutations.Outcome.Done) reported).object()).metadata()
          .resourceVersion());
      await(cache.consistent());
      sub.progress();
      PodCache.Event.Progress p = assertInstanceOf(PodCache.Event.Progress.class, next(events),
          "a status report is not sent back to its host");
      assertTrue(p.revision() >= reportedAt, p + " covers the report at " + reportedAt);

      Mutations.Outcome moved = await(cluster.entities.pods().rebind(
          new ObjectRef(ResourceKind.PODS, "default", "s-1"), "host-other"));
      assertInstanceOf(Mutations.Outcome.Done.class, moved, moved::toString);
      assertEquals("s-1", assertInstanceOf(PodCache.Event.Unbound.class, next(events)).name(), "moved away");
    } finally {
      sub.cancel();
      cache.stop();
    }
  }

  @Test
  void aResumeHearsWhatChangedAfterItsRevisionOrListsWhenThatIsForgotten() throws Exception {
    bound("r-a", "host-r");
    bound("r-b", "host-r");
    bound("r-c", "host-r");
    bound("r-d", "host-r");
    PodCache cache = cache(500, 2);
    try {
      BlockingQueue<PodCache.Event> first = new LinkedBlockingQueue<>();
      PodCache.Subscription s1 = cache.subscribe("host-r", 0, first::add);
      long listedAt = assertInstanceOf(PodCache.Event.Listed.class, next(first)).revision();
      s1.cancel();

      delete("r-a");
      Pod later = bound("r-e", "host-r");
      BlockingQueue<PodCache.Event> resumed = new LinkedBlockingQueue<>();
      PodCache.Subscription s2 = cache.subscribe("host-r", listedAt, resumed::add);
      assertEquals(listedAt, assertInstanceOf(PodCache.Event.Resumed.class, next(resumed)).revision());
      assertEquals("r-a", assertInstanceOf(PodCache.Event.Unbound.class, next(resumed)).name(), "left meanwhile");
      assertEquals(later.metadata().uid(),
          assertInstanceOf(PodCache.Event.Bound.class, next(resumed)).pod().metadata().uid(), "bound meanwhile");
      long afterFirstDelete = Long.parseLong(later.metadata().resourceVersion());
      s2.cancel();

      delete("r-b");
      delete("r-c"); // three departures, two kept: r-a is forgotten
      await(cache.consistent());
      BlockingQueue<PodCache.Event> old = new LinkedBlockingQueue<>();
      PodCache.Subscription s3 = cache.subscribe("host-r", listedAt, old::add);
      PodCache.Event.Listed relisted = assertInstanceOf(PodCache.Event.Listed.class, next(old),
          "a resume from before the oldest departure kept lists instead");
      assertEquals(List.of("r-d", "r-e"), names(relisted.pods()));
      s3.cancel();

      BlockingQueue<PodCache.Event> recent = new LinkedBlockingQueue<>();
      PodCache.Subscription s4 = cache.subscribe("host-r", afterFirstDelete, recent::add);
      assertInstanceOf(PodCache.Event.Resumed.class, next(recent));
      assertEquals("r-b", assertInstanceOf(PodCache.Event.Unbound.class, next(recent)).name());
      assertEquals("r-c", assertInstanceOf(PodCache.Event.Unbound.class, next(recent)).name());
      s4.cancel();
    } finally {
      cache.stop();
    }
  }
}
