package dev.pacific.host.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.host.runtime.HostUnderTest;
import dev.pacific.http.HttpServers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The log endpoint over a real HTTP binding on 127.0.0.1. */
class LogRoutesTest {

  private final ActorTestKit kit = ActorTestKit.create();
  private final HttpClient client = HttpClient.newHttpClient();
  private final Path dir;
  private final Path current;
  private final Path previous;
  private volatile boolean writing = true;
  private final int port;

  LogRoutesTest() throws Exception {
    dir = Files.createTempDirectory("pacific-logroutes-");
    previous = Files.writeString(dir.resolve("0.log"), "old 1\nold 2\n");
    current = Files.writeString(dir.resolve("1.log"), "new 1\nnew 2\nnew 3\n");
    LogLocator locator = new LogLocator() {
      @Override
      public Optional<Path> find(String namespace, String pod, String container, boolean prev) {
        if (!namespace.equals("default") || !pod.equals("web") || !container.equals("main")) {
          return Optional.empty();
        }
        return Optional.of(prev ? previous : current);
      }

      @Override
      public boolean writing(Path logFile) {
        return logFile.equals(current) && writing;
      }
    };
    CompletableFuture<Integer> bound = new CompletableFuture<>();
    HttpServers.bind(kit.system(), "127.0.0.1", 0, LogRoutes.route(locator, Duration.ofMillis(50)),
        kit.system().log(), "logs", bound);
    port = bound.get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void cleanUp() {
    kit.shutdownTestKit();
    HostUnderTest.deleteTree(dir);
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTailLimitAndPrevious() throws Exception {
    assertEquals("new 1\nnew 2\nnew 3\n", get("/containerLogs/default/web/main").body());
    assertEquals("new 3\n", get("/containerLogs/default/web/main?tailLines=1").body());
    assertEquals("new 2\nn", get("/containerLogs/default/web/main?tailLines=2&limitBytes=7").body());
    assertEquals("old 1\nold 2\n", get("/containerLogs/default/web/main?previous=true").body());
  }

  @Test
  void saysPlainlyWhatIsWrong() throws Exception {
    var missing = get("/containerLogs/default/web/sidecar");
    assertEquals(404, missing.statusCode());
    assertTrue(missing.body().contains("sidecar"), missing.body());
    var bad = get("/containerLogs/default/web/main?tailLines=ten");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("tailLines"), bad.body());
  }

  @Test
  void followStreamsNewLinesUntilTheInstanceEnds() throws Exception {
    var response = client.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/containerLogs/default/web/main?follow=true&tailLines=1")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (var lines = new BufferedReader(new InputStreamReader(response.body()))) {
      assertEquals("new 3", lines.readLine());
      Files.writeString(current, "new 4\n", StandardOpenOption.APPEND);
      assertEquals("new 4", lines.readLine());
      Files.writeString(current, "last\n", StandardOpenOption.APPEND);
      writing = false;
      assertEquals("last", lines.readLine(), "what was written before the end is still sent");
      assertEquals(null, lines.readLine(), "the stream ends with the instance");
    }
  }
}
