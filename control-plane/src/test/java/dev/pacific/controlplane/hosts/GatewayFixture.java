package dev.pacific.controlplane.hosts;

import static dev.pacific.controlplane.persistence.QuorumFixture.await;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.pacific.api.Container;
import dev.pacific.api.Node;
import dev.pacific.api.NodeAddress;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.PodSpec;
import dev.pacific.api.PodStatus;
import dev.pacific.controlplane.entities.Entities;
import dev.pacific.controlplane.entities.Mutations.Outcome;
import dev.pacific.controlplane.persistence.QuorumFixture;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.wire.HostGatewayProtocol;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.serialization.SerializationExtension;

/** A gateway on a one-member quorum and cluster, with the registry's entities, for the gateway tests. */
final class GatewayFixture implements AutoCloseable {

  final QuorumFixture quorum;
  final Entities entities;
  final RegistryReader reader;
  final HostLeases leases;
  final ActorRef<HostGatewayProtocol.Request> gateway;

  GatewayFixture() throws InterruptedException {
    quorum = QuorumFixture.oneMemberCluster("""
        pacific.entities.wake-interval = 1h
        pacific.hosts.gateway.lease-ttl = 2s
        pacific.hosts.gateway.list-chunk-bytes = 2 KiB
        pacific.hosts.gateway.bookmark-interval = 200ms
        """);
    var config = quorum.system().settings().config();
    entities = Entities.start(quorum.system(), quorum.kv, quorum.podCache(), config);
    reader = new RegistryReader(quorum.kv, quorum.watch(), SerializationExtension.get(quorum.system()));
    GatewaySettings settings = GatewaySettings.fromConfig(config);
    leases = new HostLeases(quorum.kv, settings.leaseTtl().toMillis());
    gateway = quorum.kit.spawn(HostGateway.create(settings, leases, entities.hosts(),
        new PodReports(reader, quorum.podCache(), entities.pods()), quorum.podCache(), Clock.systemUTC()),
        "gateway");
  }

  static Node node(String name, int port) {
    return new Node(new ObjectMeta(name, null, null, null, null, Map.of("zone", "a"), Map.of()), new Node.Spec(false),
        new Node.Status(Map.of("cpu", "4", "memory", "8Gi", "pods", "110"),
            Map.of("cpu", "4", "memory", "8Gi", "pods", "110"), List.of(),
            List.of(new NodeAddress("InternalIP", "127.0.0.1"), new NodeAddress("Hostname", name)),
            new Node.DaemonEndpoints(new Node.KubeletEndpoint(port))));
  }

  /** A pod created already bound to {@code host} (as Kubernetes allows an author to bind). */
  Pod createBound(String name, String host) {
    Pod pod = new Pod(new ObjectMeta(name, "default", null, null, null, Map.of("app", name), Map.of()),
        PodSpec.of(List.of(Container.of("app", "busybox")), "Always").withNodeName(host), PodStatus.phase("Pending"));
    Outcome o = await(entities.mutations().create(pod));
    for (int i = 0; i < 50 && o instanceof Outcome.Failed; i++) { // "default" is created as the entities start
      sleep();
      o = await(entities.mutations().create(pod));
    }
    Outcome last = o;
    return (Pod) assertInstanceOf(Outcome.Done.class, last, () -> "create " + name + ": " + last).object();
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    quorum.close();
  }
}
