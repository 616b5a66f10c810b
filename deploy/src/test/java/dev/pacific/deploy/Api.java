package dev.pacific.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kubernetes-shaped API as an outside client drives it (CONTRACT.md "HTTP"): JSON over
 * HTTP/1.1 through the load balancer. Every call answers with the status code and the parsed body,
 * or {@code null} when nothing answered (refused, reset, timed out), so tests can count failures.
 */
final class Api {

  private final String base;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  Api(String base) {
    this.base = base;
  }

  static String namespacePath(String ns) {
    return "/api/v1/namespaces/" + ns;
  }

  static String podPath(String ns, String name) {
    return "/api/v1/namespaces/" + ns + "/pods/" + name;
  }

  static ObjectNode namespace(String name) {
    ObjectNode ns = Http.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
    ns.putObject("metadata").put("name", name);
    return ns;
  }

  /** A pod with one container asking for a little cpu and memory. */
  static ObjectNode pod(String ns, String name) {
    ObjectNode pod = Http.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
    ObjectNode meta = pod.putObject("metadata").put("name", name).put("namespace", ns);
    meta.putObject("labels").put("app", "it");
    ObjectNode c = pod.putObject("spec").putArray("containers").addObject().put("name", "main").put("image", "busybox");
    c.putArray("command").add("sleep").add("3600");
    ObjectNode requests = c.putObject("resources").putObject("requests");
    requests.put("cpu", "10m").put("memory", "16Mi");
    return pod;
  }

  Http.Answer get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  Http.Answer post(String path, JsonNode body) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  /** POST of raw bytes (an image bundle to the content library). */
  Http.Answer post(String path, byte[] body, String contentType) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  Http.Answer put(String path, JsonNode body) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  Http.Answer delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  /** Every item of a list, page by page ({@code limit}/{@code continue}); null if a page failed. */
  List<JsonNode> listAll(String path, int limit) {
    List<JsonNode> items = new ArrayList<>();
    String token = null;
    do {
      String sep = path.contains("?") ? "&" : "?";
      Http.Answer page = get(path + sep + "limit=" + limit + (token == null ? ""
          : "&continue=" + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8)));
      if (page == null || page.code() != 200) {
        return null;
      }
      page.body().path("items").forEach(items::add);
      token = page.body().path("metadata").path("continue").asText("");
    } while (!token.isEmpty());
    return items;
  }

  static String resourceVersion(JsonNode object) {
    return object.path("metadata").path("resourceVersion").asText();
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private Http.Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.body().startsWith("{") ? Http.JSON.readTree(r.body())
          : Http.JSON.getNodeFactory().textNode(r.body());
      return new Http.Answer(r.statusCode(), body);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }
}
