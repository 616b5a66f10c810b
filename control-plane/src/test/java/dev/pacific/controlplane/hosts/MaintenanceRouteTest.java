package dev.pacific.controlplane.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacific.controlplane.api.MaintenanceRoute;
import dev.pacific.http.HttpServers;
import dev.pacific.wire.HostGatewayProtocol;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code POST /admin/v1/nodes/{name}/maintenance} on a registered host (CONTRACT.md "Admin endpoints"). */
class MaintenanceRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static GatewayFixture f;
  private static ServerBinding binding;

  @BeforeAll
  static void start() throws Exception {
    f = new GatewayFixture();
    binding = HttpServers.bind(f.quorum.system(), "127.0.0.1", 0,
        new MaintenanceRoute(f.reader, f.entities.hosts(), f.quorum.system()).route(), LoggerFactory.getLogger("api"))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    TestProbe<HostGatewayProtocol.RegisterReply> probe = f.quorum.kit.createTestProbe();
    f.gateway.tell(new HostGatewayProtocol.Register(GatewayFixture.node("host-m", 1), "boot", probe.ref()));
    assertInstanceOf(HostGatewayProtocol.Registered.class, probe.receiveMessage(Duration.ofSeconds(20)));
  }

  @AfterAll
  static void stop() {
    binding.unbind();
    f.close();
  }

  private static HttpResponse<String> send(String method, String path, String body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void maintenanceCordonsTheNodeAndLeavingItReturnsItToService() throws Exception {
    HttpResponse<String> on = send("POST", "/admin/v1/nodes/host-m/maintenance", "{\"enabled\":true}");
    assertEquals(200, on.statusCode(), on.body());
    JsonNode node = JSON.readTree(on.body());
    assertEquals("Node", node.path("kind").asText());
    assertTrue(node.path("spec").path("unschedulable").asBoolean(), on.body());
    assertEquals("true", node.path("metadata").path("annotations").path("pacific.dev/maintenance").asText());

    HttpResponse<String> off = send("POST", "/admin/v1/nodes/host-m/maintenance", "{\"enabled\":false}");
    assertEquals(200, off.statusCode(), off.body());
    JsonNode back = JSON.readTree(off.body());
    assertTrue(!back.path("spec").path("unschedulable").asBoolean(), off.body());
    assertTrue(back.path("metadata").path("annotations").path("pacific.dev/maintenance").isMissingNode(), off.body());
  }

  @Test
  void badBodiesUnknownNodesAndOtherMethodsAreStatuses() throws Exception {
    for (String body : new String[] {"not json", "{\"enabled\":\"yes\"}", "{}", "[true]"}) {
      HttpResponse<String> r = send("POST", "/admin/v1/nodes/host-m/maintenance", body);
      assertEquals(400, r.statusCode(), body + " -> " + r.body());
      assertEquals("Status", JSON.readTree(r.body()).path("kind").asText());
    }
    HttpResponse<String> missing = send("POST", "/admin/v1/nodes/host-9/maintenance", "{\"enabled\":true}");
    assertEquals(404, missing.statusCode(), missing.body());
    assertEquals("NotFound", JSON.readTree(missing.body()).path("reason").asText());
    HttpResponse<String> get = send("GET", "/admin/v1/nodes/host-m/maintenance", null);
    assertEquals(405, get.statusCode(), get.body());
  }
}
