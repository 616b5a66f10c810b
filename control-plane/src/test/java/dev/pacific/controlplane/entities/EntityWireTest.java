package dev.pacific.controlplane.entities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Namespace;
import dev.pacific.api.Node;
import dev.pacific.api.NodeCondition;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.ResourceList;
import dev.pacific.api.ResourceQuota;
import dev.pacific.controlplane.entities.Mutations.DeleteOptions;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every namespace and host command, reply and state survives Pekko's Jackson serialization
 * unchanged (sharding carries commands between members; states are stored in the quorum).
 */
class EntityWireTest {

  private static final ActorTestKit KIT = ActorTestKit.create();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static void roundTrips(List<Object> messages) {
    var serialization = SerializationExtension.get(KIT.system());
    for (Object m : messages) {
      var serializer = serialization.findSerializerFor(m);
      assertTrue(serializer.getClass().getName().contains("Jackson"), m.getClass() + " uses " + serializer);
      Object back = serialization.deserialize(serialization.serialize(m).get(), serializer.identifier(),
          Serializers.manifestFor(serializer, m)).get();
      assertEquals(m, back, m.getClass().getSimpleName());
    }
  }

  @Test
  void namespaceCommandsRepliesAndStateRoundTrip() {
    TestProbe<NamespaceEntity.Reply> probe = KIT.createTestProbe();
    ResourceQuota quota = new ResourceQuota(ObjectMeta.named("ns", "q"),
        new ResourceQuota.Spec(ResourceList.parse(Map.of("pods", "2", "requests.memory", "1Gi"))), null);
    Pod pod = Pods.pod("ns", "p", "u1", Pods.container("app", Map.of("cpu", "250m"), Map.of()));
    QuotaLedger ledger = QuotaLedgerTest.counted(quota);
    ledger = QuotaLedgerTest.admitted(ledger, Pods.sized("ns", "a", "u9", "1", "512Mi"));
    roundTrips(List.of(
        new NamespaceEntity.Create(Namespace.named("ns"), probe.ref()),
        new NamespaceEntity.Update(Namespace.named("ns"), probe.ref()),
        new NamespaceEntity.Delete(new DeleteOptions(5L, "u", "7"), probe.ref()),
        new NamespaceEntity.Delete(DeleteOptions.defaults(), probe.ref()),
        new NamespaceEntity.CreateQuota(quota, probe.ref()),
        new NamespaceEntity.UpdateQuota(quota, true, probe.ref()),
        new NamespaceEntity.DeleteQuota("q", DeleteOptions.defaults(), probe.ref()),
        NamespaceEntity.Reserve.of(pod, probe.ref()),
        new NamespaceEntity.Release("u1", probe.ref()),
        new NamespaceEntity.NamespaceDone(Namespace.named("ns")),
        new NamespaceEntity.QuotaDone(quota),
        new NamespaceEntity.Admitted(),
        new NamespaceEntity.Released(),
        new NamespaceEntity.Failed(AdmissionRefusals.terminating("pods", "p", "ns")),
        new NamespaceEntity.State(Namespace.named("ns"), ledger),
        new NamespaceEntity.State(null, QuotaLedger.empty())));
  }

  @Test
  void hostCommandsRepliesAndStateRoundTrip() {
    TestProbe<HostEntity.Reply> probe = KIT.createTestProbe();
    Map<String, String> capacity = Map.of("cpu", "2", "memory", "4Gi");
    Node node = new Node(ObjectMeta.named("h"), new Node.Spec(true), new Node.Status(capacity, capacity,
        List.of(new NodeCondition("Ready", "True", null, null, null, null)), List.of(), null));
    roundTrips(List.of(
        new HostEntity.Register(node, probe.ref()),
        new HostEntity.Create(node, probe.ref()),
        new HostEntity.Update(node, probe.ref()),
        new HostEntity.UpdateStatus(node, probe.ref()),
        new HostEntity.SetMaintenance(true, probe.ref()),
        new HostEntity.Reserve("u1", ResourceList.parse(Map.of("cpu", "500m")), probe.ref()),
        new HostEntity.Release("u1", probe.ref()),
        new HostEntity.Adjust(List.of(new HostEntity.Change("u1", ResourceList.parse(Map.of("cpu", "500m"))),
            HostEntity.Change.release("u2")), probe.ref()),
        new HostEntity.Adjusted(List.of(
            new HostEntity.ChangeOutcome("u1", HostEntity.ChangeOutcome.Kind.REFUSED, List.of(HostCapacity.INSUFFICIENT_CPU)),
            new HostEntity.ChangeOutcome("u2", HostEntity.ChangeOutcome.Kind.RELEASED, List.of()))),
        new HostEntity.NodeDone(node),
        new HostEntity.Reserved(),
        new HostEntity.Refused(List.of(HostCapacity.INSUFFICIENT_CPU, HostCapacity.TOO_MANY_PODS)),
        new HostEntity.Released(),
        new HostEntity.Failed(Refusals.unavailable("no quorum")),
        new HostEntity.State(node, Reservations.empty().with("u1", ResourceList.parse(Map.of("cpu", "1")), 42))));
  }
}
