package dev.pacific.controlplane.entities;

import static dev.pacific.controlplane.persistence.QuorumFixture.await;
import static dev.pacific.controlplane.persistence.QuorumFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Namespace;
import dev.pacific.api.Node;
import dev.pacific.api.NodeCondition;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.ResourceList;
import dev.pacific.api.ResourceQuota;
import dev.pacific.api.Status;
import dev.pacific.controlplane.entities.Mutations.DeleteOptions;
import dev.pacific.controlplane.entities.Mutations.Outcome;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.QuorumFixture;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.persistence.StoredState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Namespaces, quotas, pods and nodes end to end through {@link Entities#start} on a one-member
 * cluster: Cluster Sharding, the quorum plugin, the pods' admission by their namespace and the
 * registry read by the namespace's reconciler and drain.
 */
class RegistryEntitiesTest {

  private static QuorumFixture quorum;
  private static Entities entities;
  private static Mutations mutations;

  @BeforeAll
  static void start() throws InterruptedException {
    // The wakeup is started by the test that needs it, once no other copy of its namespace runs.
    quorum = QuorumFixture.oneMemberCluster("pacific.entities.wake-interval = 1h");
    entities = Entities.start(quorum.system(), quorum.kv, quorum.podCache(),
        quorum.system().settings().config());
    mutations = entities.mutations();
  }

  @AfterAll
  static void stop() {
    quorum.close();
  }

  private static Object ok(Outcome outcome) {
    return assertInstanceOf(Outcome.Done.class, outcome, () -> "expected success, got " + outcome).object();
  }

  private static Status failed(Outcome outcome, int code) {
    Status s = assertInstanceOf(Outcome.Failed.class, outcome, () -> "expected a failure, got " + outcome).status();
    assertEquals(code, s.code(), s::message);
    return s;
  }

  private static Optional<NamespaceEntity.State> namespace(String name) {
    return await(quorum.kv.get(RegistryKeys.key(ObjectRef.cluster(ResourceKind.NAMESPACES, name))))
        .map(kv -> (NamespaceEntity.State) StoredState.decode(kv.value())
            .toObject(SerializationExtension.get(quorum.system())));
  }

  private static boolean exists(ObjectRef ref) {
    return await(quorum.kv.get(RegistryKeys.key(ref))).isPresent();
  }

  private static ResourceQuota quota(String ns, String name, Map<String, String> hard) {
    return new ResourceQuota(ObjectMeta.named(ns, name), new ResourceQuota.Spec(ResourceList.parse(hard)), null);
  }

  @Test
  void quotaIsEnforcedOnPodCreatesAndFreedWhenAPodGoes() throws InterruptedException {
    ok(await(mutations.create(Namespace.named("team-q"))));
    ok(await(mutations.create(quota("team-q", "compute", Map.of("pods", "2", "requests.memory", "2Gi")))));
    assertTrue(eventually(Duration.ofSeconds(10), () -> namespace("team-q").orElseThrow().ledger().counting()));

    ok(await(mutations.create(Pods.sized("team-q", "a", null, "100m", "1Gi"))));
    failed(await(mutations.create(Pods.sized("team-q", "a", null, "100m", "1Gi"))), 409);
    ResourceList one = ResourceList.parse(Map.of("pods", "1", "requests.memory", "1Gi"));
    assertTrue(eventually(Duration.ofSeconds(5), () -> one.equals(
        namespace("team-q").orElseThrow().quotas().get("compute").status().used())),
        "a create refused as AlreadyExists gives its reservation back");
    ok(await(mutations.create(Pods.sized("team-q", "b", null, "100m", "1Gi"))));
    Status over = failed(await(mutations.create(Pods.sized("team-q", "c", null, "100m", "1Gi"))), 403);
    assertEquals("pods \"c\" is forbidden: exceeded quota: compute, requested: pods=1,requests.memory=1Gi, "
        + "used: pods=2,requests.memory=2Gi, limited: pods=2,requests.memory=2Gi", over.message());
    assertTrue(!exists(new ObjectRef(ResourceKind.PODS, "team-q", "c")), "a refused pod is not created");

    assertEquals(ResourceList.parse(Map.of("pods", "2", "requests.memory", "2Gi")),
        namespace("team-q").orElseThrow().quotas().get("compute").status().used());

    ok(await(mutations.delete(new ObjectRef(ResourceKind.PODS, "team-q", "a"), DeleteOptions.defaults())));
    assertTrue(eventually(Duration.ofSeconds(10), () -> ResourceList.parse(Map.of("pods", "1", "requests.memory",
        "1Gi")).equals(namespace("team-q").orElseThrow().quotas().get("compute").status().used())),
        "a pod removed releases its reservation");
    ok(await(mutations.create(Pods.sized("team-q", "c", null, "100m", "1Gi"))));
  }

  @Test
  void aDeletedNamespaceRefusesNewPodsDeletesItsPodsAndGoes() throws InterruptedException {
    ok(await(mutations.create(Namespace.named("team-d"))));
    ok(await(mutations.create(Pods.sized("team-d", "a", null, "100m", "1Gi"))));
    ok(await(mutations.create(Pods.sized("team-d", "b", null, "100m", "1Gi"))));
    Namespace terminating = (Namespace) ok(await(mutations.delete(ObjectRef.cluster(ResourceKind.NAMESPACES,
        "team-d"), DeleteOptions.defaults())));
    assertEquals("Terminating", terminating.status().phase());

    Status refused = failed(await(mutations.create(Pods.sized("team-d", "late", null, "100m", "1Gi"))), 403);
    assertEquals("pods \"late\" is forbidden: unable to create new content in namespace team-d because it is "
        + "being terminated", refused.message());
    assertTrue(eventually(Duration.ofSeconds(20), () -> !exists(new ObjectRef(ResourceKind.PODS, "team-d", "a"))
        && !exists(new ObjectRef(ResourceKind.PODS, "team-d", "b"))), "its pods are deleted");
    assertTrue(eventually(Duration.ofSeconds(20), () -> namespace("team-d").isEmpty()), "then it goes");

    Namespace again = (Namespace) ok(await(mutations.create(Namespace.named("team-d"))));
    assertEquals("Active", again.status().phase());
  }

  @Test
  void podsNeedTheirNamespaceAndDefaultExistsAndStays() throws InterruptedException {
    Status missing = failed(await(mutations.create(Pods.sized("nowhere", "a", null, "100m", "1Gi"))), 404);
    assertEquals("namespaces \"nowhere\" not found", missing.message());
    assertTrue(eventually(Duration.ofSeconds(20), () -> namespace("default").isPresent()), "default is made at start");
    Status stays = failed(await(mutations.delete(ObjectRef.cluster(ResourceKind.NAMESPACES, "default"),
        DeleteOptions.defaults())), 403);
    assertEquals("namespaces \"default\" is forbidden: this namespace may not be deleted", stays.message());
  }

  @Test
  void aRegisteredHostReservesCapacityForPodsAndRefusesWhenInMaintenance() {
    Map<String, String> capacity = Map.of("cpu", "2", "memory", "4Gi", "pods", "10");
    Node reported = new Node(ObjectMeta.named("host-e2e"), new Node.Spec(false), new Node.Status(capacity, capacity,
        List.of(new NodeCondition("Ready", "True", null, null, null, null)), List.of(), null));
    Node node = (Node) ok(await(entities.hosts().register(reported)));
    assertEquals("host-e2e", node.metadata().name());

    Pod big = Pods.sized("any", "big", "u-big", "1500m", "1Gi");
    assertInstanceOf(HostEntity.Reserved.class, await(entities.hosts().reserve("host-e2e", big)));
    assertEquals(List.of(HostCapacity.INSUFFICIENT_CPU), assertInstanceOf(HostEntity.Refused.class,
        await(entities.hosts().reserve("host-e2e", Pods.sized("any", "more", "u-more", "1", "1Gi")))).reasons());

    // Reservations live in the node's record, so each one moves its resourceVersion: update without one.
    Node cordoned = (Node) ok(await(mutations.update(new Node(node.metadata().withResourceVersion(null),
        new Node.Spec(true), node.status()))));
    assertTrue(cordoned.spec().unschedulable());
    ok(await(entities.hosts().setMaintenance("host-e2e", true)));
    assertEquals(List.of(HostCapacity.IN_MAINTENANCE), assertInstanceOf(HostEntity.Refused.class,
        await(entities.hosts().reserve("host-e2e", Pods.sized("any", "small", "u-small", "1m", "1Mi")))).reasons());
    assertInstanceOf(HostEntity.Released.class, await(entities.hosts().release("host-e2e", "u-big")));
  }

  @Test
  void aTerminatingNamespaceWhoseEntityWasLostIsWokenAndFinishesItsDrain() throws InterruptedException {
    // An entity outside sharding plays the copy on a member that was lost mid-drain: it leaves the record
    // Terminating (its pod directory still showed a pod) and stops.
    FakePodDirectory stillAPod = new FakePodDirectory();
    stillAPod.put(Pods.sized("team-w", "a", "u1", "1", "1Gi"));
    EntitySettings common = EntitySettings.fromConfig(quorum.system().settings().config());
    var lost = quorum.kit.spawn(NamespaceEntity.create("team-w", common, new NamespaceEntity.Settings(
        Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofHours(1), List.of()), stillAPod, Optional.empty(),
        java.time.Clock.systemUTC()));
    var probe = quorum.kit.<NamespaceEntity.Reply>createTestProbe();
    lost.tell(new NamespaceEntity.Create(Namespace.named("team-w"), probe.ref()));
    assertInstanceOf(NamespaceEntity.NamespaceDone.class, probe.receiveMessage(Duration.ofSeconds(10)));
    lost.tell(new NamespaceEntity.Delete(DeleteOptions.defaults(), probe.ref()));
    assertInstanceOf(NamespaceEntity.NamespaceDone.class, probe.receiveMessage(Duration.ofSeconds(10)));
    quorum.kit.stop(lost, Duration.ofSeconds(10));
    assertEquals("Terminating", namespace("team-w").orElseThrow().namespace().status().phase());

    // Nobody writes to team-w again; the wakeup starts its sharded entity, which finds no pod and removes it.
    RegistryWakeup.start(quorum.system(), quorum.kv, Duration.ofMillis(300));
    assertTrue(eventually(Duration.ofSeconds(20), () -> namespace("team-w").isEmpty()), "the drain resumed");
  }
}
