package dev.pacific.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/** Small HTTP and waiting aids for the integration tests. */
final class Http {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Http() {}

  record Answer(int code, JsonNode body) {}

  /** GET, or null when nothing answered (refused, reset, timed out). */
  static Answer get(String url) {
    try {
      HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.body().startsWith("{") ? JSON.readTree(r.body()) : JSON.getNodeFactory().textNode(r.body());
      return new Answer(r.statusCode(), body);
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  static String readyStatus(JsonNode node) {
    for (JsonNode c : node.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        return c.path("status").asText();
      }
    }
    return "missing";
  }

  /** Waits for {@code condition}, failing after {@code limit}; returns how long it took in ms. */
  static long await(Duration limit, String what, Supplier<Boolean> condition) throws InterruptedException {
    long start = System.nanoTime();
    while (!condition.get()) {
      if (System.nanoTime() - start > limit.toNanos()) {
        throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting until " + what);
      }
      Thread.sleep(100);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }
}
