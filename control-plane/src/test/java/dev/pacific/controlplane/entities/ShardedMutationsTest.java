package dev.pacific.controlplane.entities;

import static dev.pacific.controlplane.persistence.QuorumFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Namespace;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.PodStatus;
import dev.pacific.api.Status;
import dev.pacific.controlplane.entities.Mutations.DeleteOptions;
import dev.pacific.controlplane.entities.Mutations.Outcome;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.QuorumFixture;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.persistence.SamplePods;
import dev.pacific.controlplane.quorum.QuorumClient.QuorumUnavailable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.Test;

/**
 * Writes through {@link Entities#start} on a one-member cluster with role control-plane: pods end
 * to end through Cluster Sharding, and every failure as a Status, never an exception.
 */
class ShardedMutationsTest {

  private static Pod ok(Outcome outcome) {
    return (Pod) assertInstanceOf(Outcome.Done.class, outcome, () -> "expected the pod, got " + outcome).object();
  }

  private static Status failed(Outcome outcome, int code) {
    Status s = assertInstanceOf(Outcome.Failed.class, outcome, () -> "expected a failure, got " + outcome).status();
    assertEquals(code, s.code(), s::message);
    return s;
  }

  @Test
  void aPodIsCreatedUpdatedAndDeletedEndToEndThroughSharding() throws Exception {
    try (QuorumFixture quorum = QuorumFixture.oneMemberCluster("")) {
      Entities entities = Entities.start(quorum.system(), quorum.kv, quorum.podCache(),
        quorum.system().settings().config());
      Mutations mutations = entities.mutations();
      ObjectRef ref = new ObjectRef(ResourceKind.PODS, "team-a", "web-0");
      // Pods are admitted by their namespace, which must exist (Kubernetes' NamespaceLifecycle).
      failed(await(mutations.create(SamplePods.minimal("team-a", "web-0"))), 404);
      assertInstanceOf(Outcome.Done.class, await(mutations.create(Namespace.named("team-a"))));

      Pod created = ok(await(mutations.create(SamplePods.minimal("team-a", "web-0"))));
      assertNotNull(created.metadata().uid());
      assertEquals(Long.toString(await(quorum.kv.get(RegistryKeys.key(ref))).orElseThrow().modRevision()),
          created.metadata().resourceVersion());
      failed(await(mutations.create(SamplePods.minimal("team-a", "web-0"))), 409);

      Pod labeled = ok(await(mutations.update(created.withMetadata(created.metadata().withLabels(Map.of("a", "b"))))));
      assertEquals("b", labeled.metadata().labels().get("a"));
      failed(await(mutations.update(created)), 409); // created's resourceVersion is stale now

      ok(await(entities.pods().bind(ref, "host-1")));
      Pod running = ok(await(mutations.updateStatus(labeled.withMetadata(labeled.metadata().withResourceVersion(null))
          .withStatus(PodStatus.phase("Running")))));
      assertEquals("Running", running.status().phase());

      Pod terminating = ok(await(mutations.delete(ref, DeleteOptions.defaults())));
      assertNotNull(terminating.metadata().deletionTimestamp());
      ok(await(entities.pods().confirmStopped(ref, created.metadata().uid())));
      assertEquals(Optional.empty(), await(quorum.kv.get(RegistryKeys.key(ref))));
      failed(await(mutations.update(labeled)), 404);

      Pod again = ok(await(mutations.create(SamplePods.minimal("team-a", "web-0"))));
      assertTrue(!again.metadata().uid().equals(created.metadata().uid()), "a new pod under the old name");
    }
  }

  /** Records what the namespace would be asked; refuses pods named "over-quota". */
  private static final class RecordingAdmission implements Admission {
    final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<Optional<Status>> reserve(Pod pod) {
      calls.add("reserve " + pod.metadata().name() + " " + pod.metadata().uid());
      return CompletableFuture.completedFuture(pod.metadata().name().equals("over-quota")
          ? Optional.of(Status.failure(403, "Forbidden", "exceeded quota")) : Optional.empty());
    }

    @Override
    public CompletionStage<Void> release(String namespace, String podUid) {
      calls.add("release " + namespace + " " + podUid);
      return CompletableFuture.completedFuture(null);
    }
  }

  @Test
  void aPodIsAdmittedBeforeItIsCreatedAndItsReservationIsReleasedWhenRefusedOrRemoved() throws Exception {
    try (QuorumFixture quorum = QuorumFixture.oneMemberCluster("")) {
      dev.pacific.controlplane.persistence.RegistryQuorum.get(quorum.system()).set(quorum.kv);
      RecordingAdmission admission = new RecordingAdmission();
      PodMutations pods = PodMutations.start(quorum.system(),
          EntitySettings.fromConfig(quorum.system().settings().config()), admission);

      assertEquals(403, failed(await(pods.create(SamplePods.minimal("team-a", "over-quota"))), 403).code());
      assertEquals(Optional.empty(), await(quorum.kv.get(RegistryKeys.key(
          new ObjectRef(ResourceKind.PODS, "team-a", "over-quota")))), "a pod refused by its namespace is not created");

      Pod pod = ok(await(pods.create(SamplePods.minimal("team-a", "web-0"))));
      String uid = pod.metadata().uid();
      assertEquals(List.of("reserve over-quota " + admission.calls.get(0).split(" ")[2], "reserve web-0 " + uid),
          admission.calls, "reserved under the uid the pod got");

      failed(await(pods.create(SamplePods.minimal("team-a", "web-0"))), 409);
      String retryUid = admission.calls.get(2).split(" ")[2];
      assertEquals("release team-a " + retryUid, admission.calls.get(3), "a refused create gives its reservation back");

      ok(await(pods.delete(new ObjectRef(ResourceKind.PODS, "team-a", "web-0"), DeleteOptions.defaults())));
      assertTrue(QuorumFixture.eventually(java.time.Duration.ofSeconds(5),
          () -> admission.calls.contains("release team-a " + uid)), "a removed pod releases its reservation");
    }
  }

  @Test
  void namespacesAreServedAndANodeIsNeverDeletedThroughTheApi() throws Exception {
    try (QuorumFixture quorum = QuorumFixture.oneMemberCluster("")) {
      Mutations mutations = Entities.start(quorum.system(), quorum.kv, quorum.podCache(),
        quorum.system().settings().config()).mutations();
      Namespace ns = new Namespace("v1", "Namespace", ObjectMeta.named("team-a"), null, null);
      assertInstanceOf(Outcome.Done.class, await(mutations.create(ns)));
      assertEquals("MethodNotAllowed", failed(await(mutations.delete(ObjectRef.cluster(ResourceKind.NODES, "host-1"),
          DeleteOptions.defaults())), 405).reason());
    }
  }

  @Test
  void aWriteWhileTheQuorumIsGoneIsAnswered503NotAnAskTimeout() throws Exception {
    // With the quorum gone, the pod entity keeps failing to read its state and the shard's hand-off waits for it
    // until the coordinated-shutdown phase gives up: a short phase, and time for the test kit to see it through.
    try (QuorumFixture quorum = QuorumFixture.oneMemberCluster("""
        pekko.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout = 2s
        pekko.actor.testkit.typed.system-shutdown-default = 30s
        """)) {
      Mutations mutations = Entities.start(quorum.system(), quorum.kv, quorum.podCache(),
        quorum.system().settings().config()).mutations();
      assertInstanceOf(Outcome.Done.class, await(mutations.create(Namespace.named("team-a"))));
      Pod created = ok(await(mutations.create(SamplePods.minimal("team-a", "web-0"))));
      quorum.kit.stop(quorum.member);
      long start = System.nanoTime();
      Status s = failed(await(mutations.update(created.withMetadata(created.metadata().withLabels(Map.of("x", "y"))))),
          503);
      System.out.printf("write without a quorum answered %d after %d ms: %s%n", s.code(),
          (System.nanoTime() - start) / 1_000_000, s.message());
      assertEquals("ServiceUnavailable", s.reason());
    }
  }

  @Test
  void failuresOfTheRouteBecomeStatusesNeverExceptions() {
    Mutations never = new Mutations() {
      @Override public CompletionStage<Outcome> create(Object object) {
        return CompletableFuture.failedFuture(new TimeoutException("ask timed out"));
      }
      @Override public CompletionStage<Outcome> update(Object object) {
        return CompletableFuture.failedFuture(new QuorumUnavailable("no leader"));
      }
      @Override public CompletionStage<Outcome> updateStatus(Object object) {
        throw new IllegalStateException("a bug");
      }
      @Override public CompletionStage<Outcome> delete(ObjectRef ref, DeleteOptions options) {
        throw new IllegalArgumentException("bad ref");
      }
    };
    Mutations routed = new ShardedMutations(Map.of(ResourceKind.PODS, never));
    Pod pod = SamplePods.minimal("team-a", "web-0");
    assertEquals("Timeout", failed(await(routed.create(pod)), 504).reason());
    assertEquals("ServiceUnavailable", failed(await(routed.update(pod)), 503).reason());
    assertEquals("InternalError", failed(await(routed.updateStatus(pod)), 500).reason());
    failed(await(routed.delete(new ObjectRef(ResourceKind.PODS, "a", "b"), DeleteOptions.defaults())), 400);
  }

  @Test
  void entityCommandsRepliesAndStatesCrossTheClusterAsJackson() throws Exception {
    try (QuorumFixture quorum = QuorumFixture.oneMemberCluster("")) {
      var serialization = SerializationExtension.get(quorum.system());
      TestProbe<PodEntity.Reply> probe = quorum.kit.createTestProbe();
      Pod pod = SamplePods.full("team-a", "web-0");
      List<Object> messages = List.of(
          new PodEntity.Create(pod, "u", probe.ref()), new PodEntity.Update(pod, probe.ref()),
          new PodEntity.UpdateStatus(pod, probe.ref()), new PodEntity.Bind("h", probe.ref()),
          new PodEntity.Rebind("h", probe.ref()), new PodEntity.Delete(5L, "u", "7", probe.ref()),
          new PodEntity.Delete(null, null, null, probe.ref()), new PodEntity.ConfirmStopped("u", probe.ref()),
          new PodEntity.Accepted(pod), new PodEntity.Rejected(Refusals.modified(new ObjectRef(ResourceKind.PODS, "a", "b"))),
          new PodEntity.State(pod));
      for (Object m : messages) {
        byte[] bytes = serialization.serialize(m).get();
        var serializer = serialization.findSerializerFor(m);
        assertTrue(serializer.getClass().getName().contains("Jackson"), m.getClass() + " uses " + serializer);
        Object back = serialization.deserialize(bytes, serializer.identifier(),
            org.apache.pekko.serialization.Serializers.manifestFor(serializer, m)).get();
        assertEquals(m, back);
      }
    }
  }
}
