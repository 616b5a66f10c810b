package dev.pacific.controlplane.entities;

import static dev.pacific.controlplane.persistence.QuorumFixture.await;
import static dev.pacific.controlplane.persistence.QuorumFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Namespace;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.ResourceList;
import dev.pacific.api.ResourceQuota;
import dev.pacific.api.Status;
import dev.pacific.controlplane.entities.Mutations.DeleteOptions;
import dev.pacific.controlplane.entities.NamespaceEntity.Command;
import dev.pacific.controlplane.entities.NamespaceEntity.Reply;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.QuorumFixture;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.persistence.StoredState;
import dev.pacific.controlplane.quorum.store.KeyValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The namespace entity against a real one-member quorum through the real durable-state plugin:
 * every lifecycle transition, quota commands, admission, and the reconciler's repairs of the
 * failures a crash between two entities' writes leaves behind.
 */
class NamespaceEntityTest {

  private static final Duration GRACE = Duration.ofSeconds(30);
  /** Reconciles only when the test sends a Tick (or on recovery and a first quota), so counts are deterministic. */
  private static final NamespaceEntity.Settings SETTINGS =
      new NamespaceEntity.Settings(Duration.ofHours(1), GRACE, Duration.ofMillis(100), List.of());

  private static final EntitySettings COMMON = new EntitySettings(Duration.ofSeconds(10), Duration.ofMinutes(2),
      Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(30));

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
    name = "ns-" + (++counter);
  }

  private ActorRef<Command> spawn() {
    return quorum.kit.spawn(NamespaceEntity.create(name, COMMON, SETTINGS, pods, Optional.empty(), clock));
  }

  private Reply ask(ActorRef<Command> entity, Function<ActorRef<Reply>, Command> command) {
    TestProbe<Reply> probe = quorum.kit.createTestProbe();
    entity.tell(command.apply(probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(15));
  }

  private Namespace created(ActorRef<Command> entity) {
    return assertInstanceOf(NamespaceEntity.NamespaceDone.class,
        ask(entity, r -> new NamespaceEntity.Create(Namespace.named(name), r))).namespace();
  }

  private Status failed(Reply reply) {
    return assertInstanceOf(NamespaceEntity.Failed.class, reply).status();
  }

  private static ResourceQuota quota(String quotaName, Map<String, String> hard) {
    return new ResourceQuota(ObjectMeta.named(null, quotaName), new ResourceQuota.Spec(ResourceList.parse(hard)), null);
  }

  private ResourceQuota createdQuota(ActorRef<Command> entity, ResourceQuota q) {
    return assertInstanceOf(NamespaceEntity.QuotaDone.class,
        ask(entity, r -> new NamespaceEntity.CreateQuota(q, r))).quota();
  }

  /** The quota as the entity holds it now (the status subresource answers without writing). */
  private ResourceQuota current(ActorRef<Command> entity, String quotaName) {
    return assertInstanceOf(NamespaceEntity.QuotaDone.class, ask(entity,
        r -> new NamespaceEntity.UpdateQuota(quota(quotaName, Map.of()), true, r))).quota();
  }

  private Reply reserve(ActorRef<Command> entity, Pod pod) {
    return ask(entity, r -> NamespaceEntity.Reserve.of(pod, r));
  }

  private Optional<KeyValue> stored() {
    return await(quorum.kv.get(RegistryKeys.key(ObjectRef.cluster(ResourceKind.NAMESPACES, name))));
  }

  private NamespaceEntity.State storedState() {
    KeyValue kv = stored().orElseThrow();
    return (NamespaceEntity.State) StoredState.decode(kv.value()).toObject(SerializationExtension.get(quorum.system()));
  }

  private ResourceList storedUsed(String quotaName) {
    return storedState().quotas().get(quotaName).status().used();
  }

  /** A quota whose usage the entity has counted (its first reconcile ran). */
  private void countedQuota(ActorRef<Command> entity, ResourceQuota q) throws InterruptedException {
    createdQuota(entity, q);
    assertTrue(eventually(Duration.ofSeconds(10), () -> storedState().ledger().counting()), "usage counted");
  }

  @Test
  void aCreatedNamespaceIsActiveWithAUidAFinalizerAndTheKeysModRevisionAsResourceVersion() {
    Namespace ns = created(spawn());
    assertEquals("Active", ns.status().phase());
    assertNotNull(ns.metadata().uid());
    assertEquals("2026-01-01T00:00:00Z", ns.metadata().creationTimestamp());
    assertEquals(java.util.List.of("kubernetes"), ns.spec().finalizers());
    assertEquals(name, ns.metadata().labels().get("kubernetes.io/metadata.name"));
    assertEquals(Long.toString(stored().orElseThrow().modRevision()), ns.metadata().resourceVersion());
  }

  @Test
  void aSecondCreateIsAlreadyExists() {
    ActorRef<Command> entity = spawn();
    created(entity);
    Status s = failed(ask(entity, r -> new NamespaceEntity.Create(Namespace.named(name), r)));
    assertEquals(409, s.code());
    assertEquals("AlreadyExists", s.reason());
    assertEquals("namespaces \"" + name + "\" already exists", s.message());
  }

  @Test
  void anUpdateWithAStaleResourceVersionIsAConflictAndWithTheCurrentOneApplies() {
    ActorRef<Command> entity = spawn();
    Namespace ns = created(entity);
    Namespace labelled = new Namespace(ns.metadata().withLabels(Map.of("team", "a")), ns.spec(), ns.status());
    Namespace updated = assertInstanceOf(NamespaceEntity.NamespaceDone.class,
        ask(entity, r -> new NamespaceEntity.Update(labelled, r))).namespace();
    assertEquals("a", updated.metadata().labels().get("team"));
    assertNotEquals(ns.metadata().resourceVersion(), updated.metadata().resourceVersion());

    Status s = failed(ask(entity, r -> new NamespaceEntity.Update(labelled, r)));
    assertEquals(409, s.code());
    assertEquals("Operation cannot be fulfilled on namespaces \"" + name + "\": the object has been modified; "
        + "please apply your changes to the latest version and try again", s.message());
  }

  @Test
  void operationsOnAMissingNamespaceAreNotFound() {
    ActorRef<Command> entity = spawn();
    assertEquals(404, failed(ask(entity, r -> new NamespaceEntity.Delete(DeleteOptions.defaults(), r))).code());
    assertEquals(404, failed(ask(entity, r -> new NamespaceEntity.CreateQuota(quota("q", Map.of("pods", "1")), r)))
        .code());
    Status s = failed(reserve(entity, Pods.sized(name, "p", "u1", "1", "1Gi")));
    assertEquals("namespaces \"" + name + "\" not found", s.message());
  }

  @Test
  void aDeleteWhosePreconditionsFailIsAConflict() {
    ActorRef<Command> entity = spawn();
    Namespace ns = created(entity);
    Status s = failed(ask(entity, r -> new NamespaceEntity.Delete(new DeleteOptions(null, "other", null), r)));
    assertEquals(409, s.code());
    assertEquals("Operation cannot be fulfilled on namespaces \"" + name + "\": Precondition failed: UID in "
        + "precondition: other, UID in object meta: " + ns.metadata().uid(), s.message());
    assertEquals("Active", storedState().namespace().status().phase());
  }

  @Test
  void aDeletedNamespaceTerminatesRefusesNewContentAndASecondDeleteIsAConflict() {
    ActorRef<Command> entity = spawn();
    created(entity);
    pods.put(Pods.sized(name, "web", "u1", "1", "1Gi"));
    Namespace terminating = assertInstanceOf(NamespaceEntity.NamespaceDone.class,
        ask(entity, r -> new NamespaceEntity.Delete(DeleteOptions.defaults(), r))).namespace();
    assertEquals("Terminating", terminating.status().phase());
    assertEquals("2026-01-01T00:00:00Z", terminating.metadata().deletionTimestamp());

    Status pod = failed(reserve(entity, Pods.sized(name, "late", "u2", "1", "1Gi")));
    assertEquals(403, pod.code());
    assertEquals("Forbidden", pod.reason());
    assertEquals("pods \"late\" is forbidden: unable to create new content in namespace " + name
        + " because it is being terminated", pod.message());
    Status q = failed(ask(entity, r -> new NamespaceEntity.CreateQuota(quota("q", Map.of("pods", "1")), r)));
    assertEquals(403, q.code());

    Status again = failed(ask(entity, r -> new NamespaceEntity.Delete(DeleteOptions.defaults(), r)));
    assertEquals(409, again.code());
    assertEquals("Operation cannot be fulfilled on namespaces \"" + name + "\": The system is ensuring all content "
        + "is removed from this namespace.  Upon completion, this namespace will automatically be purged by the "
        + "system.", again.message());
  }

  @Test
  void aTerminatingNamespaceDeletesItsPodsFirstAndIsRemovedOnceNoneIsLeft() throws InterruptedException {
    ActorRef<Command> entity = spawn();
    String uid = created(entity).metadata().uid();
    Pod a = Pods.sized(name, "a", "u1", "1", "1Gi");
    Pod b = Pods.sized(name, "b", "u2", "1", "1Gi");
    pods.put(a);
    pods.put(b);
    pods.put(Pods.sized("elsewhere", "c", "u3", "1", "1Gi"));
    ask(entity, r -> new NamespaceEntity.Delete(DeleteOptions.defaults(), r));

    assertTrue(eventually(Duration.ofSeconds(10), () -> pods.deletesAsked.size() >= 2), "every pod is asked to go");
    assertEquals(java.util.Set.of(new ObjectRef(ResourceKind.PODS, name, "a"), new ObjectRef(ResourceKind.PODS, name, "b")),
        java.util.Set.copyOf(pods.deletesAsked));
    Thread.sleep(500); // several check intervals: still pods, so the namespace stays
    assertTrue(stored().isPresent(), "the namespace stays while it has pods");
    assertEquals(2, pods.deletesAsked.size(), "a pod already terminating is not asked again");
    clock.advance(Duration.ofSeconds(1)); // past the pods' deletionTimestamp: their entities may have stopped
    assertTrue(eventually(Duration.ofSeconds(10), () -> pods.deletesAsked.size() >= 4),
        "a terminating pod past its grace is asked again, which starts an entity that stopped");
    Thread.sleep(500); // five check intervals by the wall clock, none by the entity's: no more asks
    assertEquals(4, pods.deletesAsked.size(), "an overdue pod is not asked on every check");
    clock.advance(Duration.ofSeconds(1)); // ten intervals of 100 ms later by the entity's clock
    assertTrue(eventually(Duration.ofSeconds(10), () -> pods.deletesAsked.size() >= 6),
        "an overdue pod is asked again after ten check intervals");

    pods.remove(a);
    pods.remove(b);
    assertTrue(eventually(Duration.ofSeconds(10), () -> stored().isEmpty()), "removed once no pod is left");

    Namespace again = created(spawn());
    assertEquals("Active", again.status().phase());
    assertNotEquals(uid, again.metadata().uid(), "a namespace created again is a new object");
  }

  @Test
  void quotasAreCreatedUpdatedAndDeletedWithTheirOwnRefusals() throws InterruptedException {
    ActorRef<Command> entity = spawn();
    created(entity);
    createdQuota(entity, quota("compute", Map.of("pods", "5", "requests.cpu", "2")));
    // The first reconcile (which makes usage known) writes too: read the quota after it.
    assertTrue(eventually(Duration.ofSeconds(10), () -> storedState().ledger().counting()));
    ResourceQuota q = current(entity, "compute");
    assertEquals(name, q.metadata().namespace());
    assertNotNull(q.metadata().uid());
    assertEquals(q.spec().hard(), q.status().hard(), "status.hard mirrors spec.hard");
    assertEquals(ResourceList.parse(Map.of("pods", "0", "requests.cpu", "0")), q.status().used());
    assertEquals(Long.toString(stored().orElseThrow().modRevision()), q.metadata().resourceVersion());

    Status dup = failed(ask(entity, r -> new NamespaceEntity.CreateQuota(quota("compute", Map.of("pods", "1")), r)));
    assertEquals("resourcequotas \"compute\" already exists", dup.message());

    ResourceQuota stale = new ResourceQuota(q.metadata().withResourceVersion("1"), new ResourceQuota.Spec(
        ResourceList.parse(Map.of("pods", "9"))), null);
    assertEquals(409, failed(ask(entity, r -> new NamespaceEntity.UpdateQuota(stale, false, r))).code());
    ResourceQuota bigger = new ResourceQuota(q.metadata(), new ResourceQuota.Spec(ResourceList.parse(Map.of("pods", "9"))),
        null);
    ResourceQuota updated = assertInstanceOf(NamespaceEntity.QuotaDone.class,
        ask(entity, r -> new NamespaceEntity.UpdateQuota(bigger, false, r))).quota();
    assertEquals(ResourceList.parse(Map.of("pods", "9")), updated.status().hard());

    ResourceQuota lying = new ResourceQuota(updated.metadata(), updated.spec(),
        new ResourceQuota.Status(updated.spec().hard(), ResourceList.parse(Map.of("pods", "7"))));
    ResourceQuota afterStatus = assertInstanceOf(NamespaceEntity.QuotaDone.class,
        ask(entity, r -> new NamespaceEntity.UpdateQuota(lying, true, r))).quota();
    assertEquals(ResourceList.parse(Map.of("pods", "0")), afterStatus.status().used(), "usage is counted, not written");

    assertInstanceOf(NamespaceEntity.QuotaDone.class,
        ask(entity, r -> new NamespaceEntity.DeleteQuota("compute", DeleteOptions.defaults(), r)));
    assertTrue(storedState().quotas().isEmpty());
    assertEquals(404, failed(ask(entity, r -> new NamespaceEntity.DeleteQuota("compute", DeleteOptions.defaults(), r)))
        .code());
    assertEquals(404, failed(ask(entity, r -> new NamespaceEntity.UpdateQuota(bigger, false, r))).code());
  }

  @Test
  void quotaUsageIsExactAfterCreatesDeletesAndRetries() throws InterruptedException {
    ActorRef<Command> entity = spawn();
    created(entity);
    countedQuota(entity, quota("compute", Map.of("pods", "10", "requests.cpu", "4", "requests.memory", "8Gi",
        "limits.cpu", "8", "limits.memory", "16Gi")));
    Pod a = Pods.sized(name, "a", "u1", "500m", "1Gi");
    Pod b = Pods.sized(name, "b", "u2", "1", "2Gi");
    Pod c = Pods.sized(name, "c", "u3", "250m", "512Mi");
    for (Pod p : java.util.List.of(a, b, a, c, b, a)) {
      assertInstanceOf(NamespaceEntity.Admitted.class, reserve(entity, p), "admitted (retries too)");
    }
    ResourceList three = ResourceList.parse(Map.of("pods", "3", "requests.cpu", "1750m", "requests.memory", "3584Mi",
        "limits.cpu", "1750m", "limits.memory", "3584Mi"));
    assertEquals(three, current(entity, "compute").status().used());
    assertEquals(three, storedUsed("compute"));

    for (String uid : java.util.List.of("u2", "u2", "never-reserved")) {
      assertInstanceOf(NamespaceEntity.Released.class, ask(entity, r -> new NamespaceEntity.Release(uid, r)));
    }
    ResourceList two = ResourceList.parse(Map.of("pods", "2", "requests.cpu", "750m", "requests.memory", "1536Mi",
        "limits.cpu", "750m", "limits.memory", "1536Mi"));
    assertEquals(two, storedUsed("compute"));
    assertInstanceOf(NamespaceEntity.Admitted.class, reserve(entity, b), "a released uid may reserve again");
    assertEquals(three, storedUsed("compute"));
  }

  @Test
  void overQuotaIsForbiddenInKubernetesWords() throws InterruptedException {
    ActorRef<Command> entity = spawn();
    created(entity);
    countedQuota(entity, quota("compute", Map.of("requests.memory", "2Gi")));
    assertInstanceOf(NamespaceEntity.Admitted.class, reserve(entity, Pods.sized(name, "a", "u1", "100m", "1Gi")));
    Status s = failed(reserve(entity, Pods.sized(name, "b", "u2", "100m", "2Gi")));
    assertEquals(403, s.code());
    assertEquals("Forbidden", s.reason());
    assertEquals("pods \"b\" is forbidden: exceeded quota: compute, requested: requests.memory=2Gi, "
        + "used: requests.memory=1Gi, limited: requests.memory=2Gi", s.message());
    assertEquals(ResourceList.parse(Map.of("requests.memory", "1Gi")), storedUsed("compute"), "a refusal holds nothing");
  }

  @Test
  void aReservationWhosePodWasNeverWrittenIsFreedAfterTheGrace() throws InterruptedException {
    ActorRef<Command> entity = spawn();
    created(entity);
    countedQuota(entity, quota("q", Map.of("pods", "1")));
    // Reserved, then the creator crashed before writing the pod: nothing in the registry.
    assertInstanceOf(NamespaceEntity.Admitted.class, reserve(entity, Pods.sized(name, "a", "u1", "1", "1Gi")));
    assertEquals(403, failed(reserve(entity, Pods.sized(name, "b", "u2", "1", "1Gi"))).code());

    clock.advance(GRACE.minusSeconds(1));
    entity.tell(new NamespaceEntity.Tick());
    Thread.sleep(300);
    assertEquals(ResourceList.parse(Map.of("pods", "1")), storedUsed("q"), "kept within the grace");

    clock.advance(Duration.ofSeconds(1));
    entity.tell(new NamespaceEntity.Tick());
    assertTrue(eventually(Duration.ofSeconds(10),
        () -> storedUsed("q").equals(ResourceList.parse(Map.of("pods", "0")))), "freed after the grace");
    assertInstanceOf(NamespaceEntity.Admitted.class, reserve(entity, Pods.sized(name, "b", "u2", "1", "1Gi")));
  }

  @Test
  void aPodWrittenWithoutItsReservationIsCountedAndOneGoneWithoutReleaseIsFreed() throws InterruptedException {
    ActorRef<Command> entity = spawn();
    created(entity);
    countedQuota(entity, quota("q", Map.of("pods", "2", "requests.cpu", "2")));
    // The reservation was lost (the namespace's write failed after the pod's went through).
    Pod orphan = Pods.sized(name, "a", "u1", "1500m", "1Gi");
    pods.put(orphan);
    pods.put(Pods.phase(Pods.sized(name, "done", "u9", "4", "1Gi"), "Succeeded"));
    entity.tell(new NamespaceEntity.Tick());
    assertTrue(eventually(Duration.ofSeconds(10), () -> storedUsed("q")
        .equals(ResourceList.parse(Map.of("pods", "1", "requests.cpu", "1500m")))), "the pod is counted, a done pod not");
    Status s = failed(reserve(entity, Pods.sized(name, "b", "u2", "1", "1Gi")));
    assertTrue(s.message().contains("exceeded quota: q, requested: requests.cpu=1, used: requests.cpu=1500m"),
        s.message());

    // The pod was removed, and its release lost: freed once the grace has passed.
    pods.remove(orphan);
    clock.advance(GRACE);
    entity.tell(new NamespaceEntity.Tick());
    assertTrue(eventually(Duration.ofSeconds(10), () -> storedUsed("q")
        .equals(ResourceList.parse(Map.of("pods", "0", "requests.cpu", "0")))));
  }

  @Test
  void aFirstQuotaCountsThePodsAlreadyThere() throws InterruptedException {
    ActorRef<Command> entity = spawn();
    created(entity);
    assertInstanceOf(NamespaceEntity.Admitted.class, reserve(entity, Pods.sized(name, "a", "u1", "1", "1Gi")));
    assertNull(storedState().ledger().reservations().byUid().get("u1"), "no quota, nothing recorded");
    pods.put(Pods.sized(name, "a", "u1", "1", "1Gi"));
    pods.put(Pods.sized(name, "b", "u2", "1", "1Gi"));
    countedQuota(entity, quota("q", Map.of("pods", "2")));
    assertEquals(ResourceList.parse(Map.of("pods", "2")), storedUsed("q"));
    assertEquals(403, failed(reserve(entity, Pods.sized(name, "c", "u3", "1", "1Gi"))).code());
    assertInstanceOf(NamespaceEntity.Admitted.class, reserve(entity, Pods.sized(name, "a", "u1", "1", "1Gi")),
        "a pod already counted is admitted again (a retry)");
  }

  @Test
  void aRestartedEntityRecoversTheSameStateAndResourceVersion() throws InterruptedException {
    ActorRef<Command> entity = spawn();
    created(entity);
    countedQuota(entity, quota("q", Map.of("pods", "5")));
    reserve(entity, Pods.sized(name, "a", "u1", "1", "1Gi"));
    reserve(entity, Pods.sized(name, "b", "u2", "1", "1Gi"));
    ResourceQuota before = current(entity, "q");
    NamespaceEntity.State stateBefore = storedState();

    quorum.kit.stop(entity, Duration.ofSeconds(10));

    ActorRef<Command> again = spawn();
    ResourceQuota after = current(again, "q");
    assertEquals(before, after, "same quota, same usage, same resourceVersion");
    assertInstanceOf(NamespaceEntity.Admitted.class, reserve(again, Pods.sized(name, "a", "u1", "1", "1Gi")));
    assertEquals(before.metadata().resourceVersion(), current(again, "q").metadata().resourceVersion(),
        "a retried reservation writes nothing");
    assertEquals(stateBefore, storedState());
  }

  @Test
  void aStaleCopyOfTheEntityIsAnsweredConflictAtOnceAndRecovers() throws InterruptedException {
    ActorRef<Command> first = spawn();
    Namespace ns = created(first);
    ActorRef<Command> second = spawn(); // a second copy, as in a partition: it read the same state
    ResourceQuota q = quota("q", Map.of("pods", "5"));
    assertInstanceOf(NamespaceEntity.QuotaDone.class, ask(second, r -> new NamespaceEntity.CreateQuota(q, r)));
    // Both copies share this JVM's RegistryRevisions (in production each copy has its own member): let the
    // second copy's own follow-up write (the first count of a new quota) finish before the first copy writes.
    assertTrue(eventually(Duration.ofSeconds(10), () -> storedState().ledger().counting()));

    // An update without a resourceVersion: only the store's compare can catch the stale copy.
    Namespace labelled = new Namespace(ns.metadata().withResourceVersion(null).withLabels(Map.of("x", "y")),
        ns.spec(), ns.status());
    Status s = failed(ask(first, r -> new NamespaceEntity.Update(labelled, r)));
    assertEquals(409, s.code(), "the stale copy's write fails and is answered, not timed out");
    assertTrue(storedState().quotas().containsKey("q"), "nothing the other copy wrote is lost");

    assertTrue(eventually(Duration.ofSeconds(10), () -> ask(first, r -> new NamespaceEntity.Update(labelled, r))
        instanceof NamespaceEntity.NamespaceDone), "after its restart the copy reads the current state and writes");
    assertEquals("y", storedState().namespace().metadata().labels().get("x"));
    assertTrue(storedState().quotas().containsKey("q"));
  }
}
