package dev.pacific.controlplane.api;

import static dev.pacific.controlplane.api.RegistryApiServer.json;
import static dev.pacific.controlplane.api.RegistryApiServer.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code pods/{name}/log} proxied to a fake host's kubelet-shaped log endpoint. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodLogsTest {

  private RegistryApiServer api;
  private HttpServer host;
  private final List<String> asked = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() throws IOException {
    api = new RegistryApiServer();
    host = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    host.createContext("/containerLogs/", exchange -> {
      asked.add(exchange.getRequestURI().toString());
      boolean missing = exchange.getRequestURI().getPath().endsWith("/gone");
      byte[] body = (missing ? "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":404,"
          + "\"reason\":\"NotFound\",\"message\":\"container gone not found\"}" : "line 1\nline 2\n")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", missing ? "application/json" : "text/plain; charset=UTF-8");
      exchange.sendResponseHeaders(missing ? 404 : 200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    host.start();
    int port = host.getAddress().getPort();
    assertEquals(201, api.post("/api/v1/namespaces", q("{'metadata':{'name':'logs'}}")).statusCode());
    assertEquals(201, api.post("/api/v1/nodes", q("{'metadata':{'name':'h1'}}")).statusCode());
    HttpResponse<String> status = api.put("/api/v1/nodes/h1/status", q("{'metadata':{'name':'h1'},'status':{"
        + "'addresses':[{'type':'InternalIP','address':'127.0.0.1'}],'daemonEndpoints':{'kubeletEndpoint':{'Port':"
        + port + "}}}}"));
    assertEquals(200, status.statusCode(), status.body());
    pod("one", "[{'name':'c','image':'x'}]", "h1");
    pod("two", "[{'name':'a','image':'x'},{'name':'b','image':'x'}]", "h1");
    pod("gone", "[{'name':'gone','image':'x'}]", "h1");
    pod("nowhere", "[{'name':'c','image':'x'}]", null);
  }

  private void pod(String name, String containers, String node) {
    String spec = "'containers':" + containers + (node == null ? "" : ",'nodeName':'" + node + "'");
    HttpResponse<String> r = api.post("/api/v1/namespaces/logs/pods",
        q("{'metadata':{'name':'" + name + "'},'spec':{" + spec + "}}"));
    assertEquals(201, r.statusCode(), r.body());
  }

  @AfterAll
  void stop() {
    host.stop(0);
    api.close();
  }

  @Test
  void theOnlyContainersLogComesFromItsHostWithTheOptionsPassedThrough() {
    HttpResponse<String> r = api.get("/api/v1/namespaces/logs/pods/one/log?tailLines=5&limitBytes=100&previous=false"
        + "&follow=false");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("line 1\nline 2\n", r.body());
    assertTrue(asked.contains("/containerLogs/logs/one/c?tailLines=5&limitBytes=100&previous=false&follow=false"),
        asked.toString());
  }

  @Test
  void aPodOfSeveralContainersNeedsOneNamed() {
    HttpResponse<String> r = api.get("/api/v1/namespaces/logs/pods/two/log");
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(json(r).path("message").asText().contains("[a, b]"), r.body());
    HttpResponse<String> named = api.get("/api/v1/namespaces/logs/pods/two/log?container=b");
    assertEquals(200, named.statusCode(), named.body());
    assertTrue(asked.contains("/containerLogs/logs/two/b"), asked.toString());
    assertEquals(400, api.get("/api/v1/namespaces/logs/pods/two/log?container=z").statusCode());
  }

  @Test
  void theHostsNotFoundIsPassedOnAndAnUnscheduledPodHasNoLog() {
    HttpResponse<String> gone = api.get("/api/v1/namespaces/logs/pods/gone/log");
    assertEquals(404, gone.statusCode(), gone.body());
    assertEquals("Status", json(gone).path("kind").asText());
    HttpResponse<String> nowhere = api.get("/api/v1/namespaces/logs/pods/nowhere/log");
    assertEquals(400, nowhere.statusCode(), nowhere.body());
    assertEquals("Status", json(nowhere).path("kind").asText());
    assertEquals(404, api.get("/api/v1/namespaces/logs/pods/missing/log").statusCode());
  }
}
