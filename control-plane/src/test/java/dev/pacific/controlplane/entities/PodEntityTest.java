package dev.pacific.controlplane.entities;

import static dev.pacific.controlplane.persistence.QuorumFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.PodStatus;
import dev.pacific.api.Status;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.wire.HostGatewayProtocol;
import dev.pacific.controlplane.persistence.QuorumFixture;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.persistence.SamplePods;
import dev.pacific.controlplane.persistence.StoredState;
import dev.pacific.controlplane.quorum.store.KeyValue;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pod lifecycle through the real durable-state plugin on a one-member quorum: every legal
 * phase change, each illegal one refused with the right Status, optimistic concurrency, binding,
 * graceful deletion, recovery, and a stale copy answered 409 instead of timing out.
 */
class PodEntityTest {

  private static QuorumFixture quorum;
  private static EntitySettings settings;
  private static int counter;

  @BeforeAll
  static void start() {
    quorum = QuorumFixture.oneMember("""
        pacific.entities.restart-backoff-min = 20ms
        pacific.entities.restart-backoff-max = 200ms
        """);
    settings = EntitySettings.fromConfig(quorum.system().settings().config());
  }

  @AfterAll
  static void stop() {
    quorum.close();
  }

  /** A fresh pod name per test, so tests share the quorum without seeing each other. */
  private static ObjectRef newRef() {
    return new ObjectRef(ResourceKind.PODS, "team-a", "pod-" + (++counter));
  }

  private static ActorRef<PodEntity.Command> spawn(ObjectRef ref, EntitySettings s) {
    return quorum.kit.spawn(PodEntity.create(ref, s, Admission.ADMIT_ALL, Optional.empty(), Clock.systemUTC()));
  }

  private static PodEntity.Reply ask(ActorRef<PodEntity.Command> entity,
                                     Function<ActorRef<PodEntity.Reply>, PodEntity.Command> command) {
    TestProbe<PodEntity.Reply> probe = quorum.kit.createTestProbe();
    entity.tell(command.apply(probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(15));
  }

  private static Pod ok(PodEntity.Reply reply) {
    return assertInstanceOf(PodEntity.Accepted.class, reply, () -> "expected the pod, got " + reply).pod();
  }

  private static Status refused(PodEntity.Reply reply, int code) {
    Status s = assertInstanceOf(PodEntity.Rejected.class, reply, () -> "expected a refusal, got " + reply).status();
    assertEquals(code, s.code(), s::message);
    return s;
  }

  private static Optional<KeyValue> key(ObjectRef ref) {
    return await(quorum.kv.get(RegistryKeys.key(ref)));
  }

  private static Pod create(ActorRef<PodEntity.Command> entity, ObjectRef ref) {
    return ok(ask(entity, r -> new PodEntity.Create(SamplePods.minimal(ref.namespace(), ref.name()), "uid-" + ref.name(), r)));
  }

  private static PodEntity.Reply phase(ActorRef<PodEntity.Command> entity, Pod current, String phase) {
    return ask(entity, r -> new PodEntity.UpdateStatus(current.withStatus(PodStatus.phase(phase)), r));
  }

  @Test
  void createAssignsUidAndCreationTimeAndStartsPendingAndATakenNameIsAlreadyExists() {
    ObjectRef ref = newRef();
    var entity = spawn(ref, settings);
    Pod pod = create(entity, ref);
    assertEquals("uid-" + ref.name(), pod.metadata().uid());
    assertNotNull(pod.metadata().creationTimestamp());
    assertEquals("Pending", pod.status().phase());
    Status taken = refused(ask(entity, r -> new PodEntity.Create(SamplePods.minimal("team-a", ref.name()), "other", r)), 409);
    assertEquals("AlreadyExists", taken.reason());
    assertEquals("pods \"" + ref.name() + "\" already exists", taken.message());
  }

  @Test
  void resourceVersionInEveryReplyIsTheQuorumModRevisionOfTheKeyAndIsNotStored() throws Exception {
    ObjectRef ref = newRef();
    var entity = spawn(ref, settings);
    Pod created = create(entity, ref);
    KeyValue kv = key(ref).orElseThrow();
    assertEquals(Long.toString(kv.modRevision()), created.metadata().resourceVersion());
    Pod bound = ok(ask(entity, r -> new PodEntity.Bind("host-1", r)));
    KeyValue after = key(ref).orElseThrow();
    assertEquals(Long.toString(after.modRevision()), bound.metadata().resourceVersion());
    assertTrue(after.modRevision() > kv.modRevision());
    PodEntity.State stored = (PodEntity.State) StoredState.decode(after.value())
        .toObject(SerializationExtension.get(quorum.system()));
    assertNull(stored.pod().metadata().resourceVersion(), "the stored object carries no resourceVersion");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"Pending,Running", "Pending,Succeeded", "Pending,Failed", "Pending,Unknown",
      "Running,Succeeded", "Running,Failed", "Running,Unknown",
      "Unknown,Running", "Unknown,Succeeded", "Unknown,Failed",
      "Running,Running", "Succeeded,Succeeded"})
  void everyLegalPhaseChangeIsAccepted(String from, String to) {
    ObjectRef ref = newRef();
    var entity = spawn(ref, settings);
    Pod pod = reach(entity, create(entity, ref), from);
    Pod changed = ok(phase(entity, pod, to));
    assertEquals(to, changed.status().phase());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"Running,Pending", "Unknown,Pending",
      "Succeeded,Pending", "Succeeded,Running", "Succeeded,Failed", "Succeeded,Unknown",
      "Failed,Pending", "Failed,Running", "Failed,Succeeded", "Failed,Unknown"})
  void everyIllegalPhaseChangeIsRefusedAsInvalidOnStatusPhase(String from, String to) {
    ObjectRef ref = newRef();
    var entity = spawn(ref, settings);
    Pod pod = reach(entity, create(entity, ref), from);
    Status s = refused(phase(entity, pod, to), 422);
    assertEquals("Invalid", s.reason());
    assertEquals(List.of("status.phase"), s.details().causes().stream().map(Status.Cause::field).toList(), s.message());
    assertEquals(from, ok(phase(entity, pod, from)).status().phase(), "the phase did not change");
  }

  @Test
  void anUnknownPhaseIsRefusedAsUnsupported() {
    ObjectRef ref = newRef();
    var entity = spawn(ref, settings);
    Status s = refused(phase(entity, create(entity, ref), "Sleeping"), 422);
    assertEquals("FieldValueNotSupported", s.details().causes().get(0).reason());
  }

  /** Takes a new pod to {@code phase} along legal changes. */
  private static Pod reach(ActorRef<PodEntity.Command> entity, Pod pod, String phase) {
    return switch (phase) {
      case "Pending" -> pod;
      case "Running", "Unknown", "Succeeded", "Failed" -> ok(phase(entity, pod, phase));
      default -> throw new IllegalArgumentException(phase);
    };
  }

  @Test
  void updateChangesOnlyWhatKubernetesAllowsAndAStaleResourceVersionIsConflict() {
    ObjectRef ref = newRef();
    var entity = spawn(ref, settings);
    Pod created = create(entity, ref);
    Pod relabeled = withLabel(created, "tier", "web");
    Pod v2 = ok(ask(entity, r -> new PodEntity.Update(relabeled, r)));
    assertEquals("web", v2.metadata().labels().get("tier"));
    assertEquals(created.metadata().uid(), v2.metadata().uid());

    // created's resourceVersion is no longer current.
    Status stale = refused(ask(entity, r -> new PodEntity.Update(withLabel(created, "tier", "db"), r)), 409);
    assertEquals("Conflict", stale.reason());
    assertEquals("Operation cannot be fulfilled on pods \"" + ref.name() + "\": " + Refusals.MODIFIED, stale.message());

    Pod newImage = v2.withSpec(new dev.pacific.api.PodSpec(List.of(), List.of(
        v2.spec().containers().get(0).withImage("registry.local/app:2")), "Always", null, null, Map.of(), null,
        null, null, null));
    Pod v3 = ok(ask(entity, r -> new PodEntity.Update(newImage, r)));
    assertEquals("registry.local/app:2", v3.spec().containers().get(0).image());
    assertEquals(2L, v3.metadata().generation(), "a spec change bumps the generation");

    Pod statusChange = v3.withStatus(PodStatus.phase("Running"));
    assertEquals("Pending", ok(ask(entity, r -> new PodEntity.Update(statusChange, r))).status().phase(),
        "an update never changes status");

    Pod selfBound = v3.withSpec(v3.spec().withNodeName("host-9"));
    Status forbidden = refused(ask(entity, r -> new PodEntity.Update(selfBound, r)), 422);
    assertTrue(forbidden.message().contains("spec.nodeName"), forbidden.message());
    Status notFound = refused(ask(spawn(newRef(), settings), r -> new PodEntity.Update(v3, r)), 404);
    assertEquals("NotFound", notFound.reason());
  }

  private static Pod withLabel(Pod pod, String key, String value) {
    return pod.withMetadata(pod.metadata().withLabels(Map.of(key, value)));
  }

  @Test
  void anEvictedPodLeavesItsHostOnlyWhenTheHostConfirmsItStopped() {
    ObjectRef ref = newRef();
    var entity = spawn(ref, settings);
    Pod created = create(entity, ref);
    ok(phase(entity, ok(ask(entity, r -> new PodEntity.Bind("host-1", r))), "Running"));
    Pod other = ok(ask(entity, r -> new PodEntity.Evict("host-2", r)));
    assertFalse(other.metadata().annotations().containsKey(HostGatewayProtocol.EVICTING_ANNOTATION),
        "an eviction from another host changes nothing");
    Pod evicting = ok(ask(entity, r -> new PodEntity.Evict("host-1", r)));
    assertEquals("host-1", evicting.metadata().annotations().get(HostGatewayProtocol.EVICTING_ANNOTATION));
    assertEquals("host-1", evicting.spec().nodeName(), "still bound: its host has not stopped it yet");
    assertEquals(evicting, ok(ask(entity, r -> new PodEntity.Evict("host-1", r))), "a repeated eviction is a no-op");
    refused(ask(entity, r -> new PodEntity.ConfirmStopped("an-older-pod", r)), 409);
    Pod moved = ok(ask(entity, r -> new PodEntity.ConfirmStopped(created.metadata().uid(), r)));
    assertNull(moved.spec().nodeName(), "the host's confirmation hands it to the scheduler");
    assertEquals("Pending", moved.status().phase());
    assertEquals("host-1", moved.metadata().annotations().get(PodEntity.NODE_HISTORY));
    assertFalse(moved.metadata().annotations().containsKey(HostGatewayProtocol.EVICTING_ANNOTATION));
    assertEquals("host-2", ok(ask(entity, r -> new PodEntity.Bind("host-2", r))).spec().nodeName());
  }

  @Test
  void aPodIsBoundOnceAndRebindingRecordsTheNodeHistory() {
    ObjectRef ref = newRef();
    var entity = spawn(ref, settings);
    create(entity, ref);
    Pod bound = ok(ask(entity, r -> new PodEntity.Bind("host-1", r)));
    assertEquals("host-1", bound.spec().nodeName());
    assertEquals("True", bound.status().condition("PodScheduled").status());
    assertEquals(bound, ok(ask(entity, r -> new PodEntity.Bind("host-1", r))), "a repeated binding is a no-op");
    Status twice = refused(ask(entity, r -> new PodEntity.Bind("host-2", r)), 409);
    assertTrue(twice.message().contains("already assigned to node \"host-1\""), twice.message());

    ok(phase(entity, bound, "Running"));
    Pod moved = ok(ask(entity, r -> new PodEntity.Rebind("host-2", r)));
    Pod again = ok(ask(entity, r -> new PodEntity.Rebind("host-3", r)));
    assertEquals("host-2", moved.spec().nodeName());
    assertEquals("Pending", moved.status().phase(), "it starts over on the new host");
    assertEquals("host-3", again.spec().nodeName());
    assertEquals("host-1,host-2", again.metadata().annotations().get(PodEntity.NODE_HISTORY));
  }

  @Test
  void deletingAPodThatNeverRanRemovesItAtOnceAndItsNameStartsAgainFromRevisionZero() {
    ObjectRef ref = newRef();
    var entity = spawn(ref, settings);
    Pod created = create(entity, ref);
    TestProbe<Object> watcher = quorum.kit.createTestProbe();
    Pod last = ok(ask(entity, r -> new PodEntity.Delete(null, null, null, r)));
    assertEquals(created.metadata().uid(), last.metadata().uid());
    assertEquals(Optional.empty(), key(ref), "the key is deleted");
    watcher.expectTerminated(entity, Duration.ofSeconds(5));

    var next = spawn(ref, settings);
    refused(ask(next, r -> new PodEntity.Update(created, r)), 404);
    create(next, ref);
    assertEquals(1, key(ref).orElseThrow().version(), "a new pod of the same name starts from revision 0");
  }

  @Test
  void deletingABoundPodMarksItTerminatingUntilItsHostConfirmsItStopped() {
    ObjectRef ref = newRef();
    var entity = spawn(ref, settings);
    Pod created = create(entity, ref);
    ok(phase(entity, ok(ask(entity, r -> new PodEntity.Bind("host-1", r))), "Running"));
    refused(ask(entity, r -> new PodEntity.Delete(null, "someone-else", null, r)), 409);

    Pod terminating = ok(ask(entity, r -> new PodEntity.Delete(null, null, null, r)));
    assertNotNull(terminating.metadata().deletionTimestamp());
    assertEquals(30L, terminating.metadata().deletionGracePeriodSeconds(), "the default grace");
    assertTrue(key(ref).isPresent(), "still there while its host stops it");
    refused(ask(entity, r -> new PodEntity.Bind("host-2", r)), 409);
    Pod longer = ok(ask(entity, r -> new PodEntity.Delete(60L, null, null, r)));
    assertEquals(terminating.metadata().deletionTimestamp(), longer.metadata().deletionTimestamp(),
        "a second delete never extends the grace");

    refused(ask(entity, r -> new PodEntity.ConfirmStopped("an-older-pod", r)), 409);
    Pod gone = ok(ask(entity, r -> new PodEntity.ConfirmStopped(created.metadata().uid(), r)));
    assertEquals(created.metadata().uid(), gone.metadata().uid());
    assertEquals(Optional.empty(), key(ref), "removed once its host confirmed");
    quorum.kit.createTestProbe().expectTerminated(entity, Duration.ofSeconds(5));
  }

  @Test
  void aTerminatingPodWhoseHostNeverConfirmsIsRemovedWhenItsGraceEnds() throws Exception {
    ObjectRef ref = newRef();
    var entity = spawn(ref, settings);
    create(entity, ref);
    ok(ask(entity, r -> new PodEntity.Bind("host-1", r)));
    long start = System.nanoTime();
    ok(ask(entity, r -> new PodEntity.Delete(1L, null, null, r)));
    assertTrue(QuorumFixture.eventually(Duration.ofSeconds(10), () -> key(ref).isEmpty()), "removed after its grace");
    System.out.printf("terminating pod with a 1 s grace removed after %d ms%n", (System.nanoTime() - start) / 1_000_000);
    quorum.kit.createTestProbe().expectTerminated(entity, Duration.ofSeconds(5));
  }

  @Test
  void aFinishedPodIsRemovedAtOnce() {
    ObjectRef ref = newRef();
    var entity = spawn(ref, settings);
    create(entity, ref);
    Pod bound = ok(ask(entity, r -> new PodEntity.Bind("host-1", r)));
    ok(phase(entity, bound, "Succeeded"));
    ok(ask(entity, r -> new PodEntity.Delete(null, null, null, r)));
    assertEquals(Optional.empty(), key(ref));
  }

  @Test
  void aRestartedEntityRecoversTheSameStateAndResourceVersion() {
    ObjectRef ref = newRef();
    var entity = spawn(ref, settings);
    create(entity, ref);
    Pod before = ok(ask(entity, r -> new PodEntity.Bind("host-1", r)));
    quorum.kit.stop(entity);
    var again = spawn(ref, settings);
    Pod after = ok(ask(again, r -> new PodEntity.Update(before, r))); // no change: answers the stored pod
    assertEquals(before, after);
  }

  @Test
  void aStaleCopyIsAnsweredConflictQuicklyAndTheEntityThenServesTheFreshState() throws Exception {
    ObjectRef ref = newRef();
    var entity = spawn(ref, settings);
    Pod created = create(entity, ref);
    // A second copy of the entity (a partition) writes the key behind this one's back.
    Pod theirs = withLabel(created, "written-by", "other-copy").withMetadata(
        withLabel(created, "written-by", "other-copy").metadata().withResourceVersion(null));
    byte[] value = StoredState.of(SerializationExtension.get(quorum.system()), new PodEntity.State(theirs)).encode();
    await(quorum.kv.put(RegistryKeys.key(ref), value, OptionalLong.empty()));

    long start = System.nanoTime();
    PodEntity.Reply reply = ask(entity, r -> new PodEntity.Bind("host-1", r));
    System.out.printf("stale write answered after %d ms%n", (System.nanoTime() - start) / 1_000_000);
    assertEquals(Refusals.MODIFIED, refused(reply, 409).message().substring(
        refused(reply, 409).message().indexOf(": ") + 2));

    Pod fresh = ok(ask(entity, r -> new PodEntity.Bind("host-1", r)));
    assertEquals("other-copy", fresh.metadata().labels().get("written-by"), "the other copy's write was kept");
    assertEquals("host-1", fresh.spec().nodeName());
    assertEquals(Long.toString(key(ref).orElseThrow().modRevision()), fresh.metadata().resourceVersion());
  }

  @Test
  void anIdleEntityPassivates() {
    ObjectRef ref = newRef();
    var entity = spawn(ref, new EntitySettings(settings.askTimeout(), Duration.ofMillis(300),
        settings.restartBackoffMin(), settings.restartBackoffMax(), settings.podDefaultGrace()));
    create(entity, ref);
    quorum.kit.createTestProbe().expectTerminated(entity, Duration.ofSeconds(5));
    assertTrue(key(ref).isPresent(), "its state stays in the quorum");
  }

  @Test
  void podMetadataKeepsItsNameAndNamespaceFromTheRef() {
    ObjectRef ref = newRef();
    var entity = spawn(ref, settings);
    Pod pod = create(entity, ref);
    assertEquals(ObjectMeta.named(ref.namespace(), ref.name()).name(), pod.metadata().name());
    assertEquals(ref.namespace(), pod.metadata().namespace());
  }
}
