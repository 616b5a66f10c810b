package dev.pacific.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import dev.pacific.api.Node;
import dev.pacific.api.NodeCondition;
import dev.pacific.api.ObjectMeta;
import dev.pacific.membership.MemberCard;
import dev.pacific.membership.MemberDirectory;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A registry Node is served Ready only when its member is Up and reachable too. */
class NodeReadinessOverlayTest {

  private static ActorTestKit kit;
  private static NodeSource.RegistryAndMembership source;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create(ConfigFactory.parseString("""
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = 127.0.0.1
        pekko.remote.artery.canonical.port = 0
        pekko.loglevel = WARNING
        """).withFallback(ConfigFactory.load()));
    // host-gone's card names a member that is not in the cluster (killed and removed).
    MemberCard gone = new MemberCard("host-gone", MemberCard.HOST, "127.0.0.1", 1, 2, Map.of(), Map.of(),
        "2026-01-02T03:04:05Z");
    var members = new MemberDirectory.Members(Map.of("host-gone", gone));
    source = new NodeSource.RegistryAndMembership(
        new NodesFromMembership(Cluster.get(kit.system()), () -> members, Clock.systemUTC()));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static Node node(String name, String ready) {
    return new Node(new ObjectMeta(name, null, null, null, null, Map.of(), Map.of()), new Node.Spec(false),
        new Node.Status(Map.of("cpu", "1"), Map.of("cpu", "1"), List.of(new NodeCondition("Ready", ready, null, null,
            "HostRegistered", "x")), List.of(), null));
  }

  @Test
  void aRegisteredNodeWhoseMemberIsGoneIsNotReady() {
    NodeCondition ready = source.overlay(node("host-gone", "True")).readyCondition();
    assertEquals("False", ready.status());
    assertEquals("MemberRemoved", ready.reason());
    assertEquals(Map.of("cpu", "1"), Map.of("cpu", source.overlay(node("host-gone", "True")).status().capacity()
        .get("cpu").toString()), "the rest of the Node is the registry's");
  }

  @Test
  void theNodesOwnNotReadyStandsAndANodeWithoutACardIsAsStored() {
    assertEquals("HostRegistered", source.overlay(node("host-gone", "False")).readyCondition().reason());
    Node unknown = node("host-x", "True");
    assertEquals(unknown, source.overlay(unknown));
  }
}
