package dev.pacific.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The API's answers on one member that never joined a cluster: a host card it knows of shows as
 * a Node with Ready=False (its member is not in the cluster), readiness refuses with a Status.
 */
class ApiRoutesTest {

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
    Cluster cluster = Cluster.get(kit.system());
    var routes = new ApiRoutes(() -> Optional.of("no quorum in this test"), new NodesFromMembership(cluster, () -> members,
        Clock.systemUTC()), org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(kit.system())));
    binding = HttpServers.bind(kit.system(), "127.0.0.1", 0, routes.routes(), LoggerFactory.getLogger("api"))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    binding.unbind();
    kit.shutdownTestKit();
  }

  private static HttpResponse<String> get(String path, Optional<String> accept) throws Exception {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path));
    accept.ifPresent(a -> request.header("Accept", a));
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aHostWhoseMemberIsNotInTheClusterIsNotReady() throws Exception {
    var response = get("/api/v1/nodes", Optional.empty());
    assertEquals(200, response.statusCode());
    JsonNode node = JSON.readTree(response.body()).path("items").get(0);
    assertEquals("host-1", node.path("metadata").path("name").asText());
    assertEquals("a", node.path("metadata").path("labels").path("zone").asText());
    assertEquals("4Gi", node.path("status").path("capacity").path("memory").asText());
    JsonNode ready = node.path("status").path("conditions").get(0);
    assertEquals("Ready", ready.path("type").asText());
    assertEquals("False", ready.path("status").asText());
    assertEquals("MemberRemoved", ready.path("reason").asText());
  }

  @Test
  void yamlIsWrittenWhenAskedFor() throws Exception {
    var response = get("/api/v1/nodes/host-1", Optional.of("application/yaml"));
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"));
    assertTrue(response.body().contains("kind: \"Node\"") || response.body().contains("kind: Node"), response.body());
  }

  @Test
  void anUnwritableAcceptIsA406Status() throws Exception {
    var response = get("/api/v1/nodes", Optional.of("text/html"));
    assertEquals(406, response.statusCode());
    assertEquals("NotAcceptable", JSON.readTree(response.body()).path("reason").asText());
  }

  @Test
  void anUnreadyMemberAnswers503WithTheReason() throws Exception {
    var response = get("/readyz", Optional.empty());
    assertEquals(503, response.statusCode());
    JsonNode status = JSON.readTree(response.body());
    assertEquals("ServiceUnavailable", status.path("reason").asText());
    assertEquals("not ready: no quorum in this test", status.path("message").asText());
    assertEquals(200, get("/healthz", Optional.empty()).statusCode());
  }

  @Test
  void unknownNodesAndPathsAreNotFoundStatuses() throws Exception {
    var node = get("/api/v1/nodes/host-9", Optional.empty());
    assertEquals(404, node.statusCode());
    assertEquals("nodes \"host-9\" not found", JSON.readTree(node.body()).path("message").asText());
    assertEquals(404, get("/api/v2/things", Optional.empty()).statusCode());
  }
}
