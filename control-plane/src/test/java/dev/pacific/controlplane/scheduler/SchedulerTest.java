package dev.pacific.controlplane.scheduler;

import static dev.pacific.controlplane.persistence.QuorumFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Pod;
import dev.pacific.api.PodResources;
import dev.pacific.api.PodStatus;
import dev.pacific.api.Quantity;
import dev.pacific.controlplane.entities.HostEntity;
import dev.pacific.controlplane.entities.Mutations.DeleteOptions;
import dev.pacific.controlplane.entities.Mutations.Outcome;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.QuorumFixture;
import dev.pacific.controlplane.persistence.ResourceKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler against real entities on a one-member quorum: placement, the host's authority, Unschedulable. */
class SchedulerTest {

  private SchedulingCluster cluster;

  @BeforeEach
  void start() throws InterruptedException {
    cluster = new SchedulingCluster("");
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static Pod app(String name, String cpu, String memory) {
    return Hosts.pod("default", name, cpu, memory, Map.of("app", "web"), Map.of(), Map.of());
  }

  @Test
  void bindsPendingPodsOntoFittingHostsAndSpreadsThem() throws Exception {
    for (String h : List.of("host-1", "host-2", "host-3")) {
      cluster.register(Hosts.node(h, "4", "8Gi", 110));
    }
    cluster.startScheduler("scheduler");
    for (int i = 0; i < 6; i++) {
      cluster.create(app("web-" + i, "500m", "256Mi"));
    }
    assertTrue(eventually(Duration.ofSeconds(20), () -> cluster.podsMatch(all -> all.stream().allMatch(p -> p.spec().nodeName() != null))),
        () -> "every pod bound: " + cluster.pods().stream().map(p -> p.metadata().name() + "@" + p.spec().nodeName()).toList());
    Map<String, Long> perHost = cluster.pods().stream()
        .collect(Collectors.groupingBy(p -> p.spec().nodeName(), TreeMap::new, Collectors.counting()));
    assertEquals(Map.of("host-1", 2L, "host-2", 2L, "host-3", 2L), perHost, "replicas spread evenly");
    for (Pod p : cluster.pods()) {
      PodStatus.PodCondition scheduled = p.status().condition("PodScheduled");
      assertEquals("True", scheduled.status(), p.metadata().name());
    }
  }

  /**
   * Three schedulers at once (as two elected ones would be in a split, or one with a stale view):
   * each thinks the host is free; the host entity is the authority and lets exactly what fits in.
   */
  @Test
  void manyPodsRacingForOneSmallHostNeverOvercommitIt() throws Exception {
    cluster.register(Hosts.node("small", "2", "2Gi", 110));
    int pods = 40;
    List<CompletableFuture<Pod>> created = IntStream.range(0, pods).mapToObj(i -> CompletableFuture.supplyAsync(
        () -> cluster.create(Hosts.pod("racer-" + i, "500m", "128Mi")))).toList();
    created.forEach(CompletableFuture::join);
    for (int s = 0; s < 3; s++) {
      cluster.startScheduler("scheduler-" + s);
    }
    assertTrue(eventually(Duration.ofSeconds(30), () -> cluster.podsMatch(all -> all.stream().allMatch(p -> p.spec().nodeName() != null
        || unschedulable(p) != null))), "every pod bound or marked Unschedulable");
    Thread.sleep(1000); // anything still in flight lands
    List<Pod> bound = cluster.podsOn("small");
    Quantity cpu = bound.stream().map(p -> PodResources.requests(p.spec()).getOrZero("cpu"))
        .reduce(Quantity.parse("0"), Quantity::add);
    System.out.printf("race: %d of %d pods bound to a 2-cpu host, %s cpu requested%n", bound.size(), pods, cpu);
    assertEquals(4, bound.size(), "exactly what fits: 4 x 500m on 2 cpu");
    assertTrue(cpu.compareTo(Quantity.parse("2")) <= 0, "never overcommitted: " + cpu);
    Set<String> messages = cluster.pods().stream().filter(p -> p.spec().nodeName() == null)
        .map(SchedulerTest::unschedulable).collect(Collectors.toSet());
    System.out.println("race: unschedulable messages " + messages);
    assertTrue(messages.stream().allMatch(m -> m != null && m.startsWith("0/1 hosts available: 1 ")), messages::toString);
  }

  @Test
  void anUnschedulablePodNamesEachHostsReasonAndIsPlacedOnceAHostIsAdded() throws Exception {
    cluster.register(Hosts.node("tiny", "4", "1Gi", 110));
    cluster.register(Hosts.node("resting", "16", "64Gi", 110, "True", true, Map.of(),
        Map.of(Schedulable.MAINTENANCE, "true")));
    cluster.register(Hosts.node("down", "16", "64Gi", 110, "False", false, Map.of(), Map.of()));
    cluster.startScheduler("scheduler");
    cluster.create(Hosts.pod("big", "1", "8Gi"));
    assertTrue(eventually(Duration.ofSeconds(20), () -> unschedulable(cluster.pod("default", "big").orElseThrow()) != null));
    String message = unschedulable(cluster.pod("default", "big").orElseThrow());
    System.out.println("unschedulable: " + message);
    assertEquals("0/3 hosts available: 1 in maintenance, 1 insufficient memory, 1 not ready", message);

    long added = System.nanoTime();
    cluster.register(Hosts.node("roomy", "8", "32Gi", 110));
    assertTrue(eventually(Duration.ofSeconds(20), () -> "roomy".equals(cluster.pod("default", "big").orElseThrow()
        .spec().nodeName())), "placed on the new host");
    System.out.printf("unschedulable pod placed %d ms after a fitting host was added%n",
        (System.nanoTime() - added) / 1_000_000);
    assertEquals("True", cluster.pod("default", "big").orElseThrow().status().condition("PodScheduled").status());
  }

  /**
   * A pod deleted from a full host frees its room as soon as the scheduler sees it go: the host's own reconcile
   * (switched off here) would take up to its interval plus grace, a minute by default.
   */
  @Test
  void aDeletedPodsRoomOnItsHostIsFreedAtOnce() throws Exception {
    cluster.close();
    cluster = new SchedulingCluster("pacific.entities.host.reconcile-interval = 1h");
    cluster.register(Hosts.node("small", "2", "2Gi", 110));
    cluster.startScheduler("scheduler");
    for (int i = 0; i < 4; i++) {
      cluster.create(Hosts.pod("full-" + i, "500m", "128Mi"));
    }
    assertTrue(eventually(Duration.ofSeconds(20), () -> cluster.podsOn("small").size() == 4), "the host is full");
    Outcome deleted = QuorumFixture.await(cluster.entities.mutations().delete(
        new ObjectRef(ResourceKind.PODS, "default", "full-0"), new DeleteOptions(0L, null, null)));
    assertTrue(deleted instanceof Outcome.Done, "deleted: " + deleted);
    assertTrue(eventually(Duration.ofSeconds(20), () -> cluster.pod("default", "full-0").isEmpty()), "full-0 gone");
    long gone = System.nanoTime();
    cluster.create(Hosts.pod("next", "500m", "128Mi"));
    assertTrue(eventually(Duration.ofSeconds(15), () -> "small".equals(cluster.pod("default", "next").orElseThrow()
        .spec().nodeName())), () -> "next bound in full-0's room: " + cluster.pod("default", "next"));
    System.out.printf("a pod took a deleted pod's room %d ms after it went%n", (System.nanoTime() - gone) / 1_000_000);
  }

  /**
   * A bind that bound the pod but whose answer was lost (the ask timed out under load) keeps the pod's reservation
   * and its place in the view: releasing it, as a refused bind does, would let the next pod into room the first
   * one runs in. The host's reconcile is switched off, so only the scheduler could free it.
   */
  @Test
  void aBindWhoseAnswerIsLostKeepsItsReservation() throws Exception {
    cluster.close();
    cluster = new SchedulingCluster("pacific.entities.host.reconcile-interval = 1h");
    cluster.register(Hosts.node("small", "1", "2Gi", 110));
    AtomicInteger binds = new AtomicInteger();
    cluster.quorum.kit.spawn(Scheduler.create(cluster.reader, cluster.entities.pods(), cluster.entities.hosts(),
        cluster.schedulerSettings(), (ref, host) -> {
          var bound = cluster.entities.pods().bind(ref, host);
          return binds.incrementAndGet() > 1 ? bound : bound.thenCompose(done -> CompletableFuture.failedFuture(
              new TimeoutException("the ask timed out (a stand-in)")));
        }), "scheduler");
    cluster.create(Hosts.pod("first", "1", "128Mi"));
    assertTrue(eventually(Duration.ofSeconds(20), () -> "small".equals(cluster.pod("default", "first").orElseThrow()
        .spec().nodeName())), "first bound, though its answer was lost");
    Thread.sleep(3_000); // a retry interval and more: the scheduler has seen first's bind go unanswered
    var reply = QuorumFixture.await(cluster.entities.hosts().reserve("small",
        Hosts.pod("second", "1", "128Mi")));
    assertTrue(reply instanceof HostEntity.Refused,
        "the host still holds first's room: " + reply);
    System.out.println("after a lost bind answer the host refuses the next pod: " + reply);
    assertEquals(1, binds.get(), "first was bound once, never placed again");
  }

  /** The message of PodScheduled=False/Unschedulable, or null. */
  static String unschedulable(Pod pod) {
    PodStatus.PodCondition c = pod.status() == null ? null : pod.status().condition("PodScheduled");
    return c != null && "False".equals(c.status()) && "Unschedulable".equals(c.reason()) ? c.message() : null;
  }
}
