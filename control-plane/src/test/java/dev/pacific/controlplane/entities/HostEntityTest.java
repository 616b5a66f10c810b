package dev.pacific.controlplane.entities;

import static dev.pacific.controlplane.persistence.QuorumFixture.await;
import static dev.pacific.controlplane.persistence.QuorumFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Node;
import dev.pacific.api.NodeAddress;
import dev.pacific.api.NodeCondition;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.ResourceList;
import dev.pacific.api.Status;
import dev.pacific.controlplane.entities.HostEntity.Command;
import dev.pacific.controlplane.entities.HostEntity.Reply;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.QuorumFixture;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.persistence.StoredState;
import dev.pacific.controlplane.quorum.store.KeyValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The host entity against a real one-member quorum through the real durable-state plugin:
 * registration, updates, maintenance, readiness, and capacity reservations that never overcommit.
 */
class HostEntityTest {

  private static final Duration GRACE = Duration.ofSeconds(30);
  private static final EntitySettings COMMON = new EntitySettings(Duration.ofSeconds(10), Duration.ofMinutes(2),
      Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(30));
  /** Reconciles only on recovery and when the test sends a Tick, so counts are deterministic. */
  private static final HostEntity.Settings SETTINGS = new HostEntity.Settings(Duration.ofHours(1), GRACE, 110);

  private static QuorumFixture quorum;
  private static int counter;

  private FakePodDirectory pods;
  private TestClock clock;
  private String name;

  @BeforeAll
  static void start() {
    quorum = QuorumFixture.oneMember("");
  }

  @AfterAll
  static void stop() {
    quorum.close();
  }

  @BeforeEach
  void fresh() {
    pods = new FakePodDirectory();
    clock = new TestClock();
    name = "host-" + (++counter);
  }

  private ActorRef<Command> spawn() {
    return quorum.kit.spawn(HostEntity.create(name, COMMON, SETTINGS, pods, clock));
  }

  private Reply ask(ActorRef<Command> entity, Function<ActorRef<Reply>, Command> command) {
    TestProbe<Reply> probe = quorum.kit.createTestProbe();
    entity.tell(command.apply(probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(15));
  }

  private Node node(Reply reply) {
    return assertInstanceOf(HostEntity.NodeDone.class, reply).node();
  }

  private Status failed(Reply reply) {
    return assertInstanceOf(HostEntity.Failed.class, reply).status();
  }

  private List<String> refused(Reply reply) {
    return assertInstanceOf(HostEntity.Refused.class, reply).reasons();
  }

  /** The node as its host reports it: capacity, addresses, a label and a Ready condition. */
  private Node reported(String cpu, String memory, boolean ready) {
    Map<String, String> capacity = Map.of("cpu", cpu, "memory", memory, "pods", "110");
    return new Node(ObjectMeta.named(name).withLabels(Map.of("kubernetes.io/hostname", name)), new Node.Spec(false),
        new Node.Status(capacity, capacity, List.of(new NodeCondition("Ready", ready ? "True" : "False",
            null, null, ready ? "HostReady" : "HostDown", null)),
            List.of(new NodeAddress("InternalIP", "127.0.0.1")), null));
  }

  private Node registered(ActorRef<Command> entity, String cpu, String memory) {
    return node(ask(entity, r -> new HostEntity.Register(reported(cpu, memory, true), r)));
  }

  private Reply reserve(ActorRef<Command> entity, String uid, String cpu, String memory) {
    return ask(entity, r -> new HostEntity.Reserve(uid, ResourceList.parse(Map.of("cpu", cpu, "memory", memory)), r));
  }

  private KeyValue stored() {
    return await(quorum.kv.get(RegistryKeys.key(ObjectRef.cluster(ResourceKind.NODES, name)))).orElseThrow();
  }

  private HostEntity.State storedState() {
    return (HostEntity.State) StoredState.decode(stored().value()).toObject(SerializationExtension.get(quorum.system()));
  }

  private ResourceList held() {
    return storedState().reservations().total();
  }

  @Test
  void aRegisteredHostIsANodeWithTheKeysModRevisionAsResourceVersion() {
    Node n = registered(spawn(), "4", "8Gi");
    assertNotNull(n.metadata().uid());
    assertEquals("2026-01-01T00:00:00Z", n.metadata().creationTimestamp());
    assertEquals(ResourceList.parse(Map.of("cpu", "4", "memory", "8Gi", "pods", "110")), n.status().allocatable());
    assertEquals("True", n.readyCondition().status());
    assertEquals(Long.toString(stored().modRevision()), n.metadata().resourceVersion());
  }

  @Test
  void aRegistrationRefreshesWhatTheHostReportsAndKeepsWhatTheOperatorSet() {
    ActorRef<Command> entity = spawn();
    Node first = registered(entity, "4", "8Gi");
    Node labelled = new Node(first.metadata().withLabels(Map.of("kubernetes.io/hostname", name, "zone", "a")),
        first.spec(), first.status());
    node(ask(entity, r -> new HostEntity.Update(labelled, r)));
    node(ask(entity, r -> new HostEntity.SetMaintenance(true, r)));

    Node again = registered(entity, "8", "16Gi");
    assertEquals(first.metadata().uid(), again.metadata().uid());
    assertEquals(ResourceList.parse(Map.of("cpu", "8", "memory", "16Gi", "pods", "110")), again.status().capacity());
    assertEquals("a", again.metadata().labels().get("zone"), "the operator's label stays");
    assertTrue(again.spec().unschedulable(), "maintenance survives a re-registration");
    assertEquals("true", again.metadata().annotations().get(HostCapacity.MAINTENANCE_ANNOTATION));
  }

  @Test
  void createOfAnExistingNodeIsAlreadyExistsAndAStaleUpdateIsAConflict() {
    ActorRef<Command> entity = spawn();
    Node n = node(ask(entity, r -> new HostEntity.Create(reported("2", "4Gi", true), r)));
    Status dup = failed(ask(entity, r -> new HostEntity.Create(reported("2", "4Gi", true), r)));
    assertEquals(409, dup.code());
    assertEquals("nodes \"" + name + "\" already exists", dup.message());

    Node cordoned = node(ask(entity, r -> new HostEntity.Update(new Node(n.metadata(), new Node.Spec(true),
        n.status()), r)));
    assertTrue(cordoned.spec().unschedulable());
    assertNotEquals(n.metadata().resourceVersion(), cordoned.metadata().resourceVersion());
    Status stale = failed(ask(entity, r -> new HostEntity.Update(n, r)));
    assertEquals(409, stale.code());
    assertEquals("Conflict", stale.reason());
    assertEquals(409, failed(ask(entity, r -> new HostEntity.UpdateStatus(n, r))).code());
  }

  @Test
  void anUnknownHostIsNotFound() {
    ActorRef<Command> entity = spawn();
    assertEquals("nodes \"" + name + "\" not found", failed(reserve(entity, "u1", "1", "1Gi")).message());
    assertEquals(404, failed(ask(entity, r -> new HostEntity.SetMaintenance(true, r))).code());
    assertEquals(404, failed(ask(entity, r -> new HostEntity.Update(reported("1", "1Gi", true), r))).code());
    assertInstanceOf(HostEntity.Released.class, ask(entity, r -> new HostEntity.Release("u1", r)));
  }

  @Test
  void maintenanceSetsUnschedulableAndTheAnnotationAndRefusesPodsUntilItEnds() {
    ActorRef<Command> entity = spawn();
    registered(entity, "4", "8Gi");
    Node in = node(ask(entity, r -> new HostEntity.SetMaintenance(true, r)));
    assertTrue(in.spec().unschedulable());
    assertEquals("true", in.metadata().annotations().get(HostCapacity.MAINTENANCE_ANNOTATION));
    assertEquals(List.of(HostCapacity.IN_MAINTENANCE), refused(reserve(entity, "u1", "1", "1Gi")));

    Node out = node(ask(entity, r -> new HostEntity.SetMaintenance(false, r)));
    assertFalse(out.spec().unschedulable());
    assertFalse(out.metadata().annotations().containsKey(HostCapacity.MAINTENANCE_ANNOTATION));
    assertInstanceOf(HostEntity.Reserved.class, reserve(entity, "u1", "1", "1Gi"));
  }

  @Test
  void aHostThatIsNotReadyTakesNoPodsUntilItIsReadyAgain() {
    ActorRef<Command> entity = spawn();
    Node n = registered(entity, "4", "8Gi");
    Node down = node(ask(entity, r -> new HostEntity.UpdateStatus(reported("4", "8Gi", false), r)));
    assertEquals("False", down.readyCondition().status());
    assertEquals(n.status().capacity(), down.status().capacity());
    assertEquals(List.of(HostCapacity.NOT_READY), refused(reserve(entity, "u1", "1", "1Gi")));
    node(ask(entity, r -> new HostEntity.UpdateStatus(reported("4", "8Gi", true), r)));
    assertInstanceOf(HostEntity.Reserved.class, reserve(entity, "u1", "1", "1Gi"));
  }

  @Test
  void fiftyConcurrentReservesOfOneCpuOnATenCpuHostAdmitExactlyTen() {
    ActorRef<Command> entity = spawn();
    registered(entity, "10", "64Gi");
    List<TestProbe<Reply>> probes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      TestProbe<Reply> probe = quorum.kit.createTestProbe();
      probes.add(probe);
      // All fifty are in the entity's mailbox before the first write completes.
      entity.tell(new HostEntity.Reserve("pod-" + i, ResourceList.parse(Map.of("cpu", "1", "memory", "1Gi")),
          probe.ref()));
    }
    int reserved = 0;
    for (TestProbe<Reply> probe : probes) {
      Reply reply = probe.receiveMessage(Duration.ofSeconds(30));
      if (reply instanceof HostEntity.Reserved) {
        reserved++;
      } else {
        assertEquals(List.of(HostCapacity.INSUFFICIENT_CPU), refused(reply));
      }
    }
    assertEquals(10, reserved, "exactly the pods that fit");
    assertEquals(ResourceList.parse(Map.of("cpu", "10", "memory", "10Gi", "pods", "10")), held(), "no overcommit");
  }

  @Test
  void oneAdjustDecidesEachChangeInOrderAndWritesOnce() {
    ActorRef<Command> entity = spawn();
    registered(entity, "3", "8Gi");
    long before = stored().modRevision();
    ResourceList oneCpu = ResourceList.parse(Map.of("cpu", "1", "memory", "1Gi"));
    List<HostEntity.Change> changes = List.of(new HostEntity.Change("a", oneCpu), new HostEntity.Change("b", oneCpu),
        new HostEntity.Change("a", oneCpu), new HostEntity.Change("c", oneCpu), new HostEntity.Change("d", oneCpu),
        HostEntity.Change.release("b"), new HostEntity.Change("e", oneCpu), HostEntity.Change.release("nobody"));
    List<HostEntity.ChangeOutcome> outcomes =
        assertInstanceOf(HostEntity.Adjusted.class, ask(entity, r -> new HostEntity.Adjust(changes, r))).outcomes();
    List<HostEntity.ChangeOutcome.Kind> kinds = outcomes.stream().map(HostEntity.ChangeOutcome::kind).toList();
    assertEquals(List.of(HostEntity.ChangeOutcome.Kind.RESERVED, HostEntity.ChangeOutcome.Kind.RESERVED,
        HostEntity.ChangeOutcome.Kind.RESERVED, HostEntity.ChangeOutcome.Kind.RESERVED,
        HostEntity.ChangeOutcome.Kind.REFUSED, HostEntity.ChangeOutcome.Kind.RELEASED,
        HostEntity.ChangeOutcome.Kind.RESERVED, HostEntity.ChangeOutcome.Kind.RELEASED), kinds,
        "a, b, c fill 3 cpus (a's retry holds nothing twice), d does not fit, b leaves, e takes its place");
    assertEquals(List.of(HostCapacity.INSUFFICIENT_CPU), outcomes.get(4).reasons());
    assertEquals(ResourceList.parse(Map.of("cpu", "3", "memory", "3Gi", "pods", "3")), held(), "a, c and e, stored");
    assertEquals(before + 1, stored().modRevision(), "one quorum write for the whole batch");
  }

  @Test
  void anAdjustOnAHostThatNeverRegisteredReservesNothing() {
    ActorRef<Command> entity = spawn();
    List<HostEntity.ChangeOutcome> outcomes = assertInstanceOf(HostEntity.Adjusted.class, ask(entity,
        r -> new HostEntity.Adjust(List.of(new HostEntity.Change("a", ResourceList.parse(Map.of("cpu", "1"))),
            HostEntity.Change.release("b")), r))).outcomes();
    assertEquals(HostEntity.ChangeOutcome.Kind.MISSING, outcomes.get(0).kind());
    assertEquals(404, assertInstanceOf(HostEntity.Failed.class,
        outcomes.get(0).asReply(ObjectRef.cluster(ResourceKind.NODES, name))).status().code());
    assertEquals(HostEntity.ChangeOutcome.Kind.RELEASED, outcomes.get(1).kind());
  }

  @Test
  void retriesReserveNothingTwiceAndReleasesAreIdempotent() {
    ActorRef<Command> entity = spawn();
    registered(entity, "2", "4Gi");
    for (String uid : List.of("a", "a", "b", "a", "b")) {
      assertInstanceOf(HostEntity.Reserved.class, reserve(entity, uid, "1", "1Gi"), "reserved (retries too)");
    }
    assertEquals(ResourceList.parse(Map.of("cpu", "2", "memory", "2Gi", "pods", "2")), held());
    assertEquals(List.of(HostCapacity.INSUFFICIENT_CPU), refused(reserve(entity, "c", "500m", "1Gi")));
    for (String uid : List.of("a", "a", "never")) {
      assertInstanceOf(HostEntity.Released.class, ask(entity, r -> new HostEntity.Release(uid, r)));
    }
    assertEquals(ResourceList.parse(Map.of("cpu", "1", "memory", "1Gi", "pods", "1")), held());
    assertInstanceOf(HostEntity.Reserved.class, reserve(entity, "c", "500m", "1Gi"));
  }

  @Test
  void theReconcilerFreesABindThatNeverHappenedAndCountsABoundPodWithoutAReservation() throws InterruptedException {
    ActorRef<Command> entity = spawn();
    registered(entity, "4", "8Gi");
    // Reserved, then the scheduler crashed before binding: the pod is not bound here.
    assertInstanceOf(HostEntity.Reserved.class, reserve(entity, "u1", "1", "1Gi"));
    pods.put(Pods.sized("ns", "unbound", "u1", "1", "1Gi"));
    // Bound here without a reservation (the host's write was lost); one bound elsewhere, one done.
    pods.put(Pods.bound(Pods.sized("ns", "bound", "u2", "2", "2Gi"), name));
    pods.put(Pods.bound(Pods.sized("ns", "other", "u3", "1", "1Gi"), "another-host"));
    pods.put(Pods.phase(Pods.bound(Pods.sized("ns", "done", "u4", "1", "1Gi"), name), "Succeeded"));

    entity.tell(new HostEntity.Tick());
    assertTrue(eventually(Duration.ofSeconds(10), () -> storedState().reservations().holds("u2")), "counted");
    assertEquals(ResourceList.parse(Map.of("cpu", "3", "memory", "3Gi", "pods", "2")), held(),
        "the unbound reservation stays within the grace");

    clock.advance(GRACE);
    entity.tell(new HostEntity.Tick());
    assertTrue(eventually(Duration.ofSeconds(10), () -> !storedState().reservations().holds("u1")), "freed");
    assertEquals(ResourceList.parse(Map.of("cpu", "2", "memory", "2Gi", "pods", "1")), held());
  }

  @Test
  void aRestartedEntityRecoversTheSameStateAndResourceVersion() {
    ActorRef<Command> entity = spawn();
    registered(entity, "4", "8Gi");
    reserve(entity, "u1", "1", "1Gi");
    Node before = node(ask(entity, r -> new HostEntity.SetMaintenance(false, r))); // no change: no write
    HostEntity.State stateBefore = storedState();
    quorum.kit.stop(entity, Duration.ofSeconds(10));

    ActorRef<Command> again = spawn();
    Node after = node(ask(again, r -> new HostEntity.SetMaintenance(false, r)));
    assertEquals(before, after, "same node, same resourceVersion");
    assertEquals(stateBefore, storedState());
    assertInstanceOf(HostEntity.Reserved.class, reserve(again, "u1", "1", "1Gi"), "a retry after the restart");
    assertEquals(ResourceList.parse(Map.of("cpu", "1", "memory", "1Gi", "pods", "1")), held());
    assertEquals(before.metadata().resourceVersion(), Long.toString(stored().modRevision()));
  }

  @Test
  void podRequestsAreTheEffectiveRequestsOfItsContainers() {
    Pod pod = Pods.pod("ns", "p", "u1", Pods.container("a", Map.of("cpu", "250m", "memory", "1Gi"), Map.of()),
        Pods.container("b", Map.of("cpu", "250m"), Map.of()));
    TestProbe<Reply> probe = quorum.kit.createTestProbe();
    HostEntity.Reserve r = HostEntity.Reserve.of(pod, probe.ref());
    assertEquals(ResourceList.parse(Map.of("cpu", "500m", "memory", "1Gi")), r.requests());
  }
}
