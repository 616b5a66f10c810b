package dev.pacific.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.withSizeLimit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Every error a Pacific server answers is a JSON Status with the right code, never plain text. */
class ErrorResponsesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static ActorTestKit kit;
  private static ServerBinding binding;
  private static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void bind() throws Exception {
    kit = ActorTestKit.create();
    var route = concat(
        path("ok", () -> get(() -> complete("ok"))),
        path("boom", () -> get(() -> {
          throw new IllegalStateException("secret internals");
        })),
        path("upload", () -> post(() -> withSizeLimit(1024,
            () -> entity(Unmarshaller.entityToString(), body -> complete("got " + body.length()))))));
    binding = HttpServers.bind(kit.system(), "127.0.0.1", 0, route, LoggerFactory.getLogger("test"))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void unbind() {
    binding.unbind();
    kit.shutdownTestKit();
  }

  private static String base() {
    return "http://127.0.0.1:" + binding.localAddress().getPort();
  }

  private static JsonNode statusOf(HttpResponse<String> response, int code, String reason) throws Exception {
    assertEquals(code, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        "errors are JSON: " + response.headers());
    JsonNode status = JSON.readTree(response.body());
    assertEquals("Status", status.path("kind").asText());
    assertEquals("Failure", status.path("status").asText());
    assertEquals(reason, status.path("reason").asText());
    assertEquals(code, status.path("code").asInt());
    assertFalse(status.path("message").asText().isEmpty(), "a Status says what went wrong");
    return status;
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anUnknownPathIsA404Status() throws Exception {
    statusOf(send(HttpRequest.newBuilder(URI.create(base() + "/nope"))), 404, "NotFound");
  }

  @Test
  void aWrongMethodIsA405Status() throws Exception {
    var status = statusOf(send(HttpRequest.newBuilder(URI.create(base() + "/ok")).DELETE()), 405, "MethodNotAllowed");
    assertTrue(status.path("message").asText().contains("GET"), "names the allowed method: " + status);
  }

  @Test
  void aTooLargeBodyIsA413Status() throws Exception {
    // The server answers 413 and closes while the client may still be sending the body; by a race the
    // client can then read a reset instead of the answer. The answer is what is tested, so a reset is retried.
    HttpResponse<String> response = null;
    for (int attempt = 1; response == null; attempt++) {
      try {
        response = send(HttpRequest.newBuilder(URI.create(base() + "/upload")).timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString("x".repeat(5000))));
      } catch (java.io.IOException reset) {
        if (attempt == 5) {
          throw reset;
        }
      }
    }
    statusOf(response, 413, "RequestEntityTooLarge");
  }

  @Test
  void anExceptionIsA500StatusWithoutItsInternals() throws Exception {
    var status = statusOf(send(HttpRequest.newBuilder(URI.create(base() + "/boom"))), 500, "InternalError");
    assertFalse(status.toString().contains("secret internals"), "no exception text leaks: " + status);
    assertFalse(status.toString().contains("at dev.pacific"), "no stack trace: " + status);
  }

  @Test
  void aMalformedRequestIsA400Status() throws Exception {
    try (Socket s = new Socket("127.0.0.1", binding.localAddress().getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET /ok HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(raw.startsWith("HTTP/1.1 400"), raw);
      assertTrue(raw.contains("application/json"), raw);
      JsonNode status = JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
      assertEquals("BadRequest", status.path("reason").asText());
      assertEquals(400, status.path("code").asInt());
    }
  }
}
