package dev.pacific.deploy.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The chaos workload's HTTP client: JSON over HTTP/1.1 to one base address (the LB, or a member's
 * own port). A call that got no answer (refused, reset, timed out) returns null, which a history
 * records as indeterminate: the request may or may not have taken effect.
 */
final class Client {

  static final ObjectMapper JSON = new ObjectMapper();

  /** A status and the JSON body (a text node when the body was not JSON). */
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
  }

  /** Whether this thread's last call was refused before any byte was sent (so it cannot have taken effect). */
  private static final ThreadLocal<Boolean> REFUSED = ThreadLocal.withInitial(() -> false);

  private final String base;
  private final Duration timeout;
  private final HttpClient http;

  Client(String base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  static String kvPath(String key) {
    return "/admin/v1/kv/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
  }

  Answer kvGet(String key) {
    return get(kvPath(key));
  }

  Answer kvPut(String key, String value) {
    return send(request(kvPath(key)).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofString(value)));
  }

  /** A compare-and-swap on the key's mod revision ({@code 0}: the key must not exist). */
  Answer kvCas(String key, String value, long prevRevision) {
    return send(request(kvPath(key) + "?prevRevision=" + prevRevision)
        .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofString(value)));
  }

  Answer get(String path) {
    return send(request(path).GET());
  }

  Answer post(String path, JsonNode body) {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  Answer delete(String path) {
    return send(request(path).DELETE());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
  }

  /** True when this thread's last call got no answer because nothing accepted its connection. */
  static boolean refused() {
    return REFUSED.get();
  }

  private Answer send(HttpRequest.Builder request) {
    REFUSED.set(false);
    try {
      // The request's own time-out is enforced by the client's selector thread; a ChaosIT run once lost that
      // thread (an error thrown in it), after which send() never returned. This wait ends regardless.
      HttpResponse<String> r;
      java.util.concurrent.CompletableFuture<HttpResponse<String>> sent =
          http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
      try {
        r = sent.get(timeout.toMillis() * 2 + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        sent.cancel(true);
        return null;
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      }
      String b = r.body();
      JsonNode body = b.startsWith("{") ? JSON.readTree(b) : JSON.getNodeFactory().textNode(b);
      return new Answer(r.statusCode(), body);
    } catch (IOException e) {
      REFUSED.set(e instanceof java.net.ConnectException || e instanceof java.net.http.HttpConnectTimeoutException);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
