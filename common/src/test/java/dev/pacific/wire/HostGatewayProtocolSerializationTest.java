package dev.pacific.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Container;
import dev.pacific.api.Node;
import dev.pacific.api.NodeAddress;
import dev.pacific.api.NodeCondition;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.PodSpec;
import dev.pacific.api.PodStatus;
import dev.pacific.api.ResourceList;
import dev.pacific.api.ResourceRequirements;
import dev.pacific.wire.HostGatewayProtocol.PodKey;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every message between a spherelet and a HostGateway crosses the cluster: it must go through
 * Pekko's Jackson CBOR serializer (never Java serialization) and come back equal, typed ActorRefs
 * and the API records inside it included.
 */
class HostGatewayProtocolSerializationTest {

  private static final ActorTestKit kit = ActorTestKit.create();
  private static final SerializationTestKit serialization = new SerializationTestKit(kit.system());

  @AfterAll
  static void shutDown() {
    kit.shutdownTestKit();
  }

  static Node node() {
    var status = new Node.Status(Map.of("cpu", "4", "memory", "8Gi", "pods", "110"),
        Map.of("cpu", "3500m", "memory", "7Gi", "pods", "110"),
        List.of(new NodeCondition("Ready", "True", "2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z", "SphereletReady",
            "spherelet is posting ready status")),
        List.of(new NodeAddress("InternalIP", "127.0.0.1"), new NodeAddress("Hostname", "host-1")),
        new Node.DaemonEndpoints(new Node.KubeletEndpoint(40111)));
    var meta = ObjectMeta.named("host-1").withLabels(Map.of("kubernetes.io/hostname", "host-1", "zone", "a"));
    return new Node(meta, new Node.Spec(true), status);
  }

  static Pod pod() {
    var resources = new ResourceRequirements(ResourceList.parse(Map.of("memory", "128Mi")),
        ResourceList.parse(Map.of("cpu", "250m", "memory", "64Mi")));
    var container = new Container("main", "web@sha256:" + "a".repeat(64), List.of("sh", "-c"), List.of("sleep 100"),
        null, List.of(Container.ContainerPort.of(8080)), List.of(new Container.EnvVar("A", "b")), resources, null, null,
        null, null);
    var meta = ObjectMeta.named("default", "web").withUid("uid-1").withResourceVersion("42")
        .withDeletion("2024-05-01T10:00:05Z", 30L).withAnnotations(Map.of("pacific.dev/node-history", "host-2"));
    return new Pod(meta, PodSpec.of(List.of(container), "Always").withNodeName("host-1"), status());
  }

  static PodStatus status() {
    var running = new PodStatus.ContainerState(null, new PodStatus.Running("2024-05-01T10:00:01Z"), null);
    var last = new PodStatus.ContainerState(null, null,
        new PodStatus.Terminated(137, 9, "Error", "killed", "2024-05-01T09:59:00Z", "2024-05-01T10:00:00Z", "process://x"));
    return new PodStatus("Running",
        List.of(new PodStatus.PodCondition("Ready", "True", null, "2024-05-01T10:00:02Z", null, null)), null, null,
        "127.0.0.1", "127.64.0.9", "2024-05-01T10:00:00Z",
        List.of(new PodStatus.ContainerStatus("main", running, last, true, 1, "web", null, "process://y", true)));
  }

  private static void roundTrips(Object message) {
    var serializer = SerializationExtension.get(kit.system().classicSystem()).findSerializerFor(message);
    assertTrue(serializer.getClass().getSimpleName().contains("JacksonCbor"),
        message.getClass().getSimpleName() + " is serialized by " + serializer.getClass().getName());
    Object back = serialization.verifySerialization(message, true);
    assertEquals(message, back);
  }

  @Test
  void everyRequestRoundTripsThroughJacksonCborWithItsActorRefs() {
    TestProbe<HostGatewayProtocol.RegisterReply> register = kit.createTestProbe();
    TestProbe<HostGatewayProtocol.RenewReply> renew = kit.createTestProbe();
    TestProbe<BoundPods.Event> events = kit.createTestProbe();
    TestProbe<HostGatewayProtocol.StatusReply> status = kit.createTestProbe();
    roundTrips(new HostGatewayProtocol.Register(node(), "boot-1", register.getRef()));
    roundTrips(new HostGatewayProtocol.RenewLease("host-1", 7L, renew.getRef()));
    roundTrips(new HostGatewayProtocol.WatchPods("host-1", 3L, 1234L, events.getRef()));
    roundTrips(new HostGatewayProtocol.StopWatching("host-1", 3L));
    roundTrips(new HostGatewayProtocol.ReportPodStatus("host-1", PodKey.of(pod()), status(), status.getRef()));
    roundTrips(new HostGatewayProtocol.ConfirmPodStopped("host-1", PodKey.of(pod()), status(), status.getRef()));
  }

  @Test
  void everyReplyRoundTrips() {
    roundTrips(new HostGatewayProtocol.Registered("host-1", 7L, 5_000L));
    roundTrips(new HostGatewayProtocol.RegisterRefused("host-1", "pods of the expired lease are being moved", 500L));
    roundTrips(new HostGatewayProtocol.LeaseRenewed(7L, 5_000L));
    roundTrips(new HostGatewayProtocol.LeaseLost(7L, "expired"));
    roundTrips(new HostGatewayProtocol.StatusRecorded("uid-1", 99L));
    roundTrips(new HostGatewayProtocol.PodGone("uid-1", "not found"));
  }

  @Test
  void everyBoundPodEventRoundTripsWithItsPods() {
    roundTrips(new BoundPods.Listed(3L, 100L, List.of(pod(), pod().withMetadata(pod().metadata().withUid("uid-2"))),
        false));
    roundTrips(new BoundPods.Listed(3L, 100L, List.of(), true));
    roundTrips(new BoundPods.Resumed(3L, 100L));
    roundTrips(new BoundPods.Bound(3L, 101L, pod()));
    roundTrips(new BoundPods.Unbound(3L, 102L, "default", "web", "uid-1"));
    roundTrips(new BoundPods.Bookmark(3L, 150L));
    roundTrips(new BoundPods.Resync(3L, "compacted at 120"));
  }
}
