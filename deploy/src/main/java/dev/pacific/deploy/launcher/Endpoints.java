package dev.pacific.deploy.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The launcher's few HTTP checks against members, each with a short timeout. */
final class Endpoints {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /** The status code of {@code GET url}, or -1 when nothing answered. */
  int status(String url) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LauncherException("interrupted");
    }
  }

  /** Names of the Nodes whose {@code Ready} condition is True, as {@code api} lists them. */
  Set<String> readyNodes(String api) {
    Set<String> ready = new HashSet<>();
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/api/v1/nodes"))
          .timeout(Duration.ofSeconds(2)).GET().build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return ready;
      }
      for (JsonNode node : JSON.readTree(response.body()).path("items")) {
        for (JsonNode c : node.path("status").path("conditions")) {
          if (c.path("type").asText().equals("Ready") && c.path("status").asText().equals("True")) {
            ready.add(node.path("metadata").path("name").asText());
          }
        }
      }
    } catch (java.io.IOException e) {
      return ready;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LauncherException("interrupted");
    }
    return ready;
  }

  static String url(MemberSpec m, String path) {
    return "http://127.0.0.1:" + m.httpPort() + path;
  }

  static boolean allReady(Set<String> ready, List<MemberSpec> hosts) {
    return hosts.stream().allMatch(h -> ready.contains(h.name()));
  }
}
