package dev.pacific.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacific.controlplane.library.ContentLibrary;
import dev.pacific.controlplane.library.LibrarySettings;
import dev.pacific.controlplane.persistence.QuorumFixture;
import dev.pacific.http.HttpServers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code /admin/v1/images} over HTTP: every refusal a Status naming what is wrong, and a bundle's round trip. */
class ImageRoutesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final long MAX = 64 * 1024;
  private static QuorumFixture quorum;
  private static ServerBinding binding;
  private static Path spool;

  @BeforeAll
  static void start() throws Exception {
    quorum = QuorumFixture.oneMember("");
    spool = Files.createTempDirectory("pacific-spool-");
    var library = new ContentLibrary(quorum.kv, new LibrarySettings(MAX, 4 * MAX, 4096, spool), Clock.systemUTC(),
        ForkJoinPool.commonPool());
    binding = HttpServers.bind(quorum.system(), "127.0.0.1", 0, new ImageRoutes(library, quorum.system()).route(),
        LoggerFactory.getLogger("api")).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    binding.unbind();
    quorum.close();
    try (var left = Files.list(spool)) {
      assertEquals(0, left.count(), "every spooled upload is removed once answered");
    }
    Files.delete(spool);
  }

  @Test
  void anUploadAnswers201WithItsDigestAndIsListedAndReadBack() throws Exception {
    byte[] bundle = gzip(random(20_000, 1));
    HttpResponse<String> created = send("POST", "/admin/v1/images?name=web", bundle);
    assertEquals(201, created.statusCode(), created.body());
    String image = "web@sha256:" + sha256(bundle);
    assertEquals(image, JSON.readTree(created.body()).path("image").asText());
    assertEquals(bundle.length, JSON.readTree(created.body()).path("size").asLong());

    HttpResponse<String> again = send("POST", "/admin/v1/images?name=web", bundle);
    assertEquals(201, again.statusCode(), again.body());
    assertEquals(JSON.readTree(created.body()), JSON.readTree(again.body()), "the same upload changes nothing");

    JsonNode list = JSON.readTree(send("GET", "/admin/v1/images", null).body());
    assertEquals("ImageList", list.path("kind").asText());
    assertTrue(list.path("metadata").path("resourceVersion").asLong() > 0);
    JsonNode item = null;
    for (JsonNode i : list.path("items")) {
      if (i.path("image").asText().equals(image)) {
        item = i;
      }
    }
    assertTrue(item != null, list.toString());
    assertEquals(bundle.length, item.path("size").asLong());
    assertTrue(!item.path("created").asText().isEmpty());

    HttpResponse<byte[]> bytes = CLIENT.send(request("GET", "/admin/v1/images/" + image, null),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, bytes.statusCode());
    assertEquals("application/gzip", bytes.headers().firstValue("Content-Type").orElse(""));
    assertArrayEquals(bundle, bytes.body());

    assertEquals(200, send("DELETE", "/admin/v1/images/" + image, null).statusCode());
    assertStatus(404, "NotFound", null, send("GET", "/admin/v1/images/" + image, null));
  }

  @Test
  void aMissingOrInvalidNameIs400NamingTheField() throws Exception {
    byte[] bundle = gzip(random(100, 2));
    assertStatus(400, "BadRequest", "name", send("POST", "/admin/v1/images", bundle));
    assertStatus(400, "BadRequest", "name", send("POST", "/admin/v1/images?name=Not_A_Name", bundle));
    assertStatus(400, "BadRequest", "name", send("POST", "/admin/v1/images?name=", bundle));
  }

  @Test
  void aBodyThatIsNotGzipIs400() throws Exception {
    assertStatus(400, "BadRequest", "body", send("POST", "/admin/v1/images?name=plain", "just text".getBytes()));
    assertStatus(400, "BadRequest", "body", send("POST", "/admin/v1/images?name=empty", new byte[0]));
  }

  @Test
  void aBundleOverTheLimitIs413WhetherItsLengthIsDeclaredOrNot() throws Exception {
    byte[] big = gzip(random((int) MAX + 10_000, 3));
    assertTrue(big.length > MAX);
    assertStatus(413, "RequestEntityTooLarge", null, send("POST", "/admin/v1/images?name=big", big));
    // Sent chunked (no Content-Length): cut off by the size limit while streaming.
    HttpResponse<String> chunked = CLIENT.send(HttpRequest.newBuilder(uri("/admin/v1/images?name=big"))
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertStatus(413, "RequestEntityTooLarge", null, chunked);
    JsonNode list = JSON.readTree(send("GET", "/admin/v1/images", null).body());
    for (JsonNode i : list.path("items")) {
      assertTrue(!i.path("name").asText().equals("big"), list.toString());
    }
  }

  @Test
  void anUnknownOrMalformedImageIs404Or400() throws Exception {
    assertStatus(404, "NotFound", null, send("GET", "/admin/v1/images/nope@sha256:" + "0".repeat(64), null));
    assertStatus(400, "BadRequest", "image", send("GET", "/admin/v1/images/nope", null));
    assertStatus(404, "NotFound", null, send("DELETE", "/admin/v1/images/nope@sha256:" + "0".repeat(64), null));
    assertStatus(405, "MethodNotAllowed", null, send("PUT", "/admin/v1/images", new byte[0]));
  }

  private static void assertStatus(int code, String reason, String field, HttpResponse<String> r) throws Exception {
    assertEquals(code, r.statusCode(), r.body());
    JsonNode status = JSON.readTree(r.body());
    assertEquals("Status", status.path("kind").asText(), r.body());
    assertEquals(reason, status.path("reason").asText(), r.body());
    if (field != null) {
      assertEquals(field, status.path("details").path("causes").path(0).path("field").asText(), r.body());
    }
  }

  private static HttpResponse<String> send(String method, String path, byte[] body) throws Exception {
    return CLIENT.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest request(String method, String path, byte[] body) {
    return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path);
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
