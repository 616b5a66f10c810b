package dev.pacific.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code /admin/v1/kv/{key}} as CONTRACT.md fixes it, for the integration tests. A call that got
 * no answer (refused, reset, timed out) returns null: the caller decides whether that is a
 * failure or, in a history, an indeterminate operation.
 */
final class Kv {

  /** A status and the JSON body (a text node when the body was not JSON, which the contract forbids). */
  record Answer(int code, JsonNode body) {
    long revision() {
      return body.path("revision").asLong(-1);
    }

    String value() {
      return body.path("value").isTextual() ? body.path("value").asText() : null;
    }

    long modRevision() {
      return body.path("modRevision").asLong(-1);
    }

    long version() {
      return body.path("version").asLong(-1);
    }
  }

  private final String api;
  private final Duration timeout;
  private final HttpClient client;

  Kv(String api, Duration timeout) {
    this.api = api;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  static String path(String key) {
    return "/admin/v1/kv/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
  }

  Answer get(String key) {
    return send(request(path(key)).GET());
  }

  Answer put(String key, String value) {
    return put(key, value.getBytes(StandardCharsets.UTF_8), "");
  }

  /** A compare-and-swap on the key's mod revision ({@code 0}: the key must not exist). */
  Answer cas(String key, String value, long prevRevision) {
    return put(key, value.getBytes(StandardCharsets.UTF_8), "?prevRevision=" + prevRevision);
  }

  /** {@code query} as sent, e.g. {@code ?prevRevision=abc}, so the bad-input tests can send nonsense. */
  Answer put(String key, byte[] value, String query) {
    return send(request(path(key) + query).PUT(HttpRequest.BodyPublishers.ofByteArray(value)));
  }

  /**
   * A PUT that sends {@code Expect: 100-continue}, so a server refusing the body (413) can answer
   * before it; without, a client still writing gets a reset instead of the answer, by a race.
   */
  Answer putExpectingContinue(String key, byte[] value) {
    return send(request(path(key)).expectContinue(true).PUT(HttpRequest.BodyPublishers.ofByteArray(value)));
  }

  Answer delete(String key) {
    return send(request(path(key)).DELETE());
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(api + pathAndQuery)).timeout(timeout)
        .header("Content-Type", "application/octet-stream");
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String b = r.body();
      JsonNode body = b.startsWith("{") ? Http.JSON.readTree(b) : Http.JSON.getNodeFactory().textNode(b);
      return new Answer(r.statusCode(), body);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }
}
