package dev.pacific.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.http.HttpServers;
import dev.pacific.membership.MemberCard;
import dev.pacific.membership.MemberDirectory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * With the registry API in ApiRoutes and nodes still from cluster membership, {@code /api/v1/nodes}
 * answers as before (list, one node, 404) plus selectors, and refuses writes and watches with a
 * Status. The registry is never touched for nodes: this server has no quorum at all.
 */
class MembershipNodesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static ActorTestKit kit;
  private static ServerBinding binding;

  @BeforeAll
  static void start() throws Exception {
    kit = ActorTestKit.create(ConfigFactory.parseString("""
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = 127.0.0.1
        pekko.remote.artery.canonical.port = 0
        pekko.loglevel = WARNING
        """).withFallback(ConfigFactory.load()));
    MemberCard host = new MemberCard("host-1", MemberCard.HOST, "127.0.0.1", 1, 2,
        Map.of("cpu", "2", "memory", "4Gi", "pods", "110"), Map.of("zone", "a"), "2026-01-02T03:04:05Z");
    var members = new MemberDirectory.Members(Map.of("host-1", host));
    var nodes = new NodesFromMembership(Cluster.get(kit.system()), () -> members, Clock.systemUTC());
    var noQuorum = new RegistryReader(null, null, SerializationExtension.get(kit.system().classicSystem()));
    var resources = new ResourceRoutes(noQuorum, null, new NodeSource.Membership(nodes),
        ApiSettings.fromConfig(kit.system().settings().config()), kit.system());
    var routes = new ApiRoutes(() -> Optional.empty(), nodes,
        org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(kit.system())), Optional.empty(), Optional.of(resources));
    binding = HttpServers.bind(kit.system(), "127.0.0.1", 0, routes.routes(), LoggerFactory.getLogger("api"))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    binding.unbind();
    kit.shutdownTestKit();
  }

  private static HttpResponse<String> send(String method, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void nodesAreListedAndReadFromMembershipWithSelectors() throws Exception {
    JsonNode list = JSON.readTree(send("GET", "/api/v1/nodes").body());
    assertEquals("NodeList", list.path("kind").asText());
    assertEquals("host-1", list.path("items").path(0).path("metadata").path("name").asText());
    assertEquals(1, JSON.readTree(send("GET", "/api/v1/nodes?labelSelector=zone%3Da").body()).path("items").size());
    assertEquals(0, JSON.readTree(send("GET", "/api/v1/nodes?labelSelector=zone%3Db").body()).path("items").size());
    assertEquals(200, send("GET", "/api/v1/nodes/host-1").statusCode());
    assertEquals(200, send("GET", "/api/v1/nodes/host-1/status").statusCode());
    var missing = send("GET", "/api/v1/nodes/host-9");
    assertEquals(404, missing.statusCode());
    assertEquals("nodes \"host-9\" not found", JSON.readTree(missing.body()).path("message").asText());
  }

  @Test
  void writesAndWatchesOfMembershipNodesAreRefusedWithAStatus() throws Exception {
    var delete = send("DELETE", "/api/v1/nodes/host-1");
    assertEquals(405, delete.statusCode());
    assertEquals("MethodNotAllowed", JSON.readTree(delete.body()).path("reason").asText());
    assertEquals("GET", delete.headers().firstValue("Allow").orElse(""));
    var watch = send("GET", "/api/v1/nodes?watch=true");
    assertEquals(400, watch.statusCode());
    assertTrue(JSON.readTree(watch.body()).path("message").asText().contains("membership"));
  }
}
