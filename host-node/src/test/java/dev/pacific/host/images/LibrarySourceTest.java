package dev.pacific.host.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.pacific.host.runtime.HostUnderTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pulling from the control plane's content library, against fake control-plane members that serve
 * {@code GET /admin/v1/images/NAME@sha256:HEX} as the real ones do.
 */
class LibrarySourceTest {

  private final List<HttpServer> servers = new ArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private Path root;

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
    if (root != null) {
      HostUnderTest.deleteTree(root);
    }
  }

  /** A fake member answering {@code code}, with the bundle of each image it holds when 200. */
  private URI member(int code, Map<String, byte[]> bundles) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/admin/v1/images/", exchange -> {
      String image = exchange.getRequestURI().getPath().substring("/admin/v1/images/".length());
      requests.add(exchange.getLocalAddress().getPort() + " " + image);
      byte[] body = code == 200 ? bundles.get(image) : null;
      if (body == null) {
        byte[] status = ("{\"kind\":\"Status\",\"code\":" + (code == 200 ? 404 : code) + "}").getBytes();
        exchange.sendResponseHeaders(code == 200 ? 404 : code, status.length);
        exchange.getResponseBody().write(status);
      } else {
        exchange.getResponseHeaders().add("Content-Type", "application/gzip");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.start();
    servers.add(server);
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static URI nobodyListening() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
  }

  private static LibrarySource source(List<URI> members) {
    return new LibrarySource(() -> members, Duration.ofSeconds(2), Duration.ofSeconds(5));
  }

  private static byte[] read(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  @Test
  void aBundleComesFromWhicheverMemberAnswersPastDeadAndQuorumlessOnes() throws Exception {
    byte[] bundle = new TarBuilder().file("run.sh", "#!/bin/sh\n", 0755).gzip();
    ImageRef image = ImageRef.parse("web@sha256:" + TarBuilder.sha256(bundle)).orElseThrow();
    URI live = member(200, Map.of(image.toString(), bundle));
    List<URI> members = List.of(nobodyListening(), member(503, Map.of()), live);
    for (int i = 0; i < 6; i++) {
      assertArrayEquals(bundle, read(source(members).open(image)), "attempt " + i);
    }
  }

  @Test
  void anImageTheLibraryDoesNotHoldIsNotFoundWithoutAskingFurther() throws Exception {
    URI one = member(200, Map.of());
    URI two = member(200, Map.of());
    ImageRef image = ImageRef.parse("gone@sha256:" + "a".repeat(64)).orElseThrow();
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> source(List.of(one, two)).open(image));
    assertTrue(e.getMessage().contains("content library has no " + image), e.getMessage());
    assertEquals(1, requests.size(), "a 404 is the library's answer, the same on every member: " + requests);
  }

  @Test
  void withNoMemberKnownOrNoneAnsweringThePullFailsToBeRetried() throws Exception {
    ImageRef image = ImageRef.parse("web@sha256:" + "b".repeat(64)).orElseThrow();
    IOException none = assertThrows(IOException.class, () -> source(List.of()).open(image));
    assertTrue(none.getMessage().contains("no control-plane member is known"), none.getMessage());
    IOException down = assertThrows(IOException.class,
        () -> source(List.of(nobodyListening(), member(503, Map.of()))).open(image));
    assertTrue(!(down instanceof NoSuchFileException) && down.getMessage().contains("answered 503"), down.getMessage());
  }

  @Test
  void theImageServiceUnpacksALibraryBundleAndRefusesOneWhoseDigestDiffers() throws Exception {
    root = Files.createTempDirectory("pacific-library-");
    byte[] bundle = new TarBuilder().dir("bin").file("bin/run.sh", "#!/bin/sh\necho hi\n", 0755).gzip();
    String good = "web@sha256:" + TarBuilder.sha256(bundle);
    String lying = "liar@sha256:" + "c".repeat(64);
    Map<String, byte[]> held = new ConcurrentHashMap<>(Map.of(good, bundle, lying, bundle));
    var images = new ImageService(source(List.of(member(200, held))), root.resolve("cache"));

    var ready = assertInstanceOf(ImageService.Pull.Ready.class, images.acquire(good));
    assertTrue(Files.isExecutable(ready.bundle().resolve("bin/run.sh")));

    var refused = assertInstanceOf(ImageService.Pull.Failed.class, images.acquire(lying));
    assertEquals("ErrImagePull", refused.reason());
    assertTrue(refused.message().contains("digest mismatch"), refused.message());

    var missing = assertInstanceOf(ImageService.Pull.Failed.class, images.acquire("nope@sha256:" + "d".repeat(64)));
    assertTrue(missing.message().contains("not found"), missing.message());
  }
}
