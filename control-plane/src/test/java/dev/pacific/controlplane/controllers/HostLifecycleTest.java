package dev.pacific.controlplane.controllers;

import static dev.pacific.controlplane.persistence.QuorumFixture.await;
import static dev.pacific.controlplane.persistence.QuorumFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Node;
import dev.pacific.api.Pod;
import dev.pacific.api.PodSpec;
import dev.pacific.controlplane.entities.PodEntity;
import dev.pacific.wire.HostGatewayProtocol;
import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.scheduler.Hosts;
import dev.pacific.controlplane.scheduler.SchedulingCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The host lifecycle controller and the scheduler together on a one-member control plane, the hosts
 * played by the test: each holds a quorum lease {@code leases/hosts/<name>} that the test renews.
 */
class HostLifecycleTest {

  private static final Duration TTL = Duration.ofSeconds(1);
  private static final Duration MARGIN = Duration.ofSeconds(1);

  private SchedulingCluster cluster;
  private final ScheduledExecutorService renewals = Executors.newScheduledThreadPool(1);
  private final Map<String, Long> lastRenewal = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.ScheduledFuture<?>> renewing = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeEach
  void start() throws InterruptedException {
    cluster = new SchedulingCluster("""
        pacific.host-lifecycle.host-lease-ttl = 1s
        pacific.host-lifecycle.reschedule-margin = 1s
        pacific.host-lifecycle.sweep-interval = 200ms
        pacific.host-lifecycle.registration-grace = 30s
        """);
    for (String h : List.of("host-1", "host-2")) {
      cluster.register(Hosts.node(h, "8", "16Gi", 110));
      holdLease(h);
    }
    cluster.startScheduler("scheduler");
    cluster.quorum.kit.spawn(HostLifecycle.create(cluster.quorum.kv, cluster.reader, cluster.quorum.podCache(),
        cluster.quorum.watch(), cluster.entities.hosts(), cluster.entities.pods(),
        HostLifecycleSettings.fromConfig(cluster.quorum.system().settings().config())), "host-lifecycle");
  }

  @AfterEach
  void stop() {
    renewals.shutdownNow();
    cluster.close();
  }

  private void holdLease(String host) {
    QuorumKv kv = cluster.quorum.kv;
    long id = QuorumKv.newLeaseId();
    await(kv.grant(id, TTL.toMillis()));
    await(kv.put((HostLifecycle.LEASE_PREFIX + host).getBytes(StandardCharsets.UTF_8),
        host.getBytes(StandardCharsets.UTF_8), OptionalLong.empty(), id));
    lastRenewal.put(host, System.nanoTime());
    renewing.put(host, renewals.scheduleWithFixedDelay(() -> {
      long sent = System.nanoTime();
      kv.keepAlive(id).thenRun(() -> lastRenewal.put(host, sent));
    }, 200, 200, TimeUnit.MILLISECONDS));
  }

  private static Pod pod(String name, String restartPolicy, long grace, String node) {
    Pod p = Hosts.pod(name, "100m", "64Mi");
    PodSpec s = p.spec();
    return p.withSpec(new PodSpec(s.initContainers(), s.containers(), restartPolicy, grace, null, s.nodeSelector(),
        node, null, null, null));
  }

  private Pod get(String name) {
    return cluster.pod("default", name).orElseThrow();
  }

  private boolean ready(String node) {
    Node n = cluster.node(node).orElseThrow();
    return "True".equals(n.readyCondition().status());
  }

  @Test
  void aHostWhoseLeaseExpiresGoesNotReadyAndItsPodsMoveOnlyAfterTtlAndMargin() throws Exception {
    ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        org.slf4j.Logger.ROOT_LOGGER_NAME);
    var logged = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    logged.start();
    root.addAppender(logged);
    try {
      podsOfALostHostMove();
    } finally {
      root.detachAppender(logged);
    }
    // A sweep that fails is retried, so the pods move in the end; but a sweep that fails every time it reads the
    // pods on another thread (ActorContext used off the actor's thread) held them up for a minute on real JVMs.
    List<String> failedSweeps = logged.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
        .filter(m -> m.contains("sweep failed")).toList();
    assertEquals(List.of(), failedSweeps, "no sweep failed while the lost host's pods moved");
  }

  private void podsOfALostHostMove() throws Exception {
    for (int i = 0; i < 3; i++) {
      cluster.create(pod("always-" + i, i == 2 ? "OnFailure" : "Always", 30, "host-1"));
    }
    cluster.create(pod("never", "Never", 30, "host-1"));

    renewing.get("host-1").cancel(false); // host-1 dies: its lease is no longer renewed
    Thread.sleep(50);
    long lastAlive = lastRenewal.get("host-1");
    assertTrue(eventually(Duration.ofSeconds(60), () -> !ready("host-1")), "host-1 NotReady");
    long notReady = System.nanoTime();
    Node n = cluster.node("host-1").orElseThrow();
    assertEquals("HostLeaseExpired", n.readyCondition().reason());

    assertTrue(eventually(Duration.ofSeconds(60), () -> List.of("always-0", "always-1", "always-2").stream()
        .allMatch(p -> "host-2".equals(get(p).spec().nodeName()))), "the Always/OnFailure pods moved to host-2");
    long moved = System.nanoTime();
    System.out.printf("lease TTL %d ms + margin %d ms: NotReady %d ms after the last renewal, pods on host-2 %d ms after%n",
        TTL.toMillis(), MARGIN.toMillis(), (notReady - lastAlive) / 1_000_000, (moved - lastAlive) / 1_000_000);
    assertTrue(moved - lastAlive >= TTL.plus(MARGIN).toNanos(), "never before TTL + margin");
    for (String name : List.of("always-0", "always-1", "always-2")) {
      Pod p = get(name);
      assertEquals("host-1", p.metadata().annotations().get(PodEntity.NODE_HISTORY), name);
      assertEquals("True", p.status().condition("PodScheduled").status(), name);
      assertEquals("Pending", p.status().phase());
    }
    assertTrue(eventually(Duration.ofSeconds(60), () -> "Failed".equals(get("never").status().phase())));
    assertEquals("NodeLost", get("never").status().reason());
    assertEquals("host-1", get("never").spec().nodeName(), "a failed pod stays where it ran");
  }

  @Test
  void maintenanceEmptiesAHostKeepsItEmptyAndFalseReturnsItToService() throws Exception {
    for (int i = 0; i < 4; i++) {
      cluster.create(pod("app-" + i, "Always", 1, "host-1"));
    }
    long began = System.nanoTime();
    assertTrue(cluster.entities.hosts().setMaintenance("host-1", true).toCompletableFuture().get(10, TimeUnit.SECONDS)
        instanceof dev.pacific.controlplane.entities.Mutations.Outcome.Done);
    // Generous deadlines: under a load of 30 this took over 20 s (about 2 s on a quiet machine).
    assertTrue(eventually(Duration.ofSeconds(60), () -> cluster.podsOn("host-1").stream().filter(p -> "host-1"
        .equals(p.metadata().annotations().get(HostGatewayProtocol.EVICTING_ANNOTATION))).count() == 4),
        "every pod on host-1 is marked evicting");
    Thread.sleep(2000); // longer than the pods' grace and the margin: nothing moves before its host confirms
    assertEquals(4, cluster.podsOn("host-1").size(), "no pod leaves host-1 before host-1 says it stopped");
    // host-1's part: each pod stopped, confirmed by uid
    for (Pod p : cluster.podsOn("host-1")) {
      cluster.entities.pods().confirmStopped(new dev.pacific.controlplane.persistence.ObjectRef(
          dev.pacific.controlplane.persistence.ResourceKind.PODS, p.metadata().namespace(), p.metadata().name()),
          p.metadata().uid()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    assertTrue(eventually(Duration.ofSeconds(90), () -> cluster.podsOn("host-1").isEmpty()
        && cluster.podsOn("host-2").size() == 4), "every pod moved to host-2");
    assertTrue(cluster.podsOn("host-2").stream().noneMatch(p -> p.metadata().annotations()
        .containsKey(HostGatewayProtocol.EVICTING_ANNOTATION)), "a moved pod is no longer evicting");
    System.out.printf("maintenance: host-1 drained in %d ms (its stops confirmed after 2 s)%n",
        (System.nanoTime() - began) / 1_000_000);
    assertEquals("host-1", get("app-0").metadata().annotations().get(PodEntity.NODE_HISTORY));

    for (int i = 0; i < 3; i++) {
      cluster.create(Hosts.pod("later-" + i, "100m", "64Mi"));
    }
    assertTrue(eventually(Duration.ofSeconds(60), () -> cluster.podsOn("host-2").size() == 7));
    Thread.sleep(1000);
    assertTrue(cluster.podsOn("host-1").isEmpty(), "nothing is placed on a host in maintenance");

    cluster.entities.hosts().setMaintenance("host-1", false).toCompletableFuture().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 3; i++) {
      cluster.create(Hosts.pod("after-" + i, "100m", "64Mi"));
    }
    assertTrue(eventually(Duration.ofSeconds(60), () -> cluster.podsOn("host-1").size() == 3),
        () -> "back in service, host-1 takes the new pods: " + cluster.podsOn("host-1").size());
  }
}
