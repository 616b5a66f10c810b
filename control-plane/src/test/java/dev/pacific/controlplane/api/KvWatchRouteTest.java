package dev.pacific.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.pacific.controlplane.quorum.KvStateMachine;
import dev.pacific.controlplane.quorum.QuorumClient;
import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.quorum.QuorumMember;
import dev.pacific.controlplane.quorum.QuorumSettings;
import dev.pacific.controlplane.quorum.QuorumStorage;
import dev.pacific.http.HttpServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code GET /admin/v1/kv/{prefix}?watch=true}: CONTRACT.md's newline-delimited events over a one-member quorum. */
class KvWatchRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private Path dir;
  private ActorTestKit kit;
  private QuorumStorage storage;
  private QuorumKv kv;
  private ServerBinding binding;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("pacific-kv-watch-");
    Config config = ConfigFactory.parseString("""
        pacific.control-plane.peers = ["cp-1=127.0.0.1:1"]
        pacific.quorum.tick = 20ms
        pekko.loglevel = WARNING
        """).withFallback(ConfigFactory.load());
    storage = QuorumStorage.open(dir, "cp-1", config);
    kit = ActorTestKit.create("pacific", config);
    ActorRef<QuorumMember.Command> member = kit.spawn(QuorumMember.create(QuorumSettings.fromConfig(config, "cp-1"),
        storage.log(), storage.stateMachine()), "quorum");
    kv = new QuorumKv(new QuorumClient(kit.system(), member, KvStateMachine.SESSIONS,
        QuorumClient.Settings.fromConfig(config)));
    KvRoutes routes = new KvRoutes(kv, storage.watch(), member, kit.system());
    binding = HttpServers.bind(kit.system(), "127.0.0.1", 0, routes.routes(), LoggerFactory.getLogger("api"))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    binding.unbind();
    kit.shutdownTestKit();
    storage.close();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + pathAndQuery);
  }

  /** Opens a watch and hands its lines to a queue as they arrive. */
  private BlockingQueue<JsonNode> watch(String query) throws Exception {
    HttpResponse<Stream<String>> response = CLIENT.send(HttpRequest.newBuilder(uri("/kv/w%2F?" + query)).build(),
        HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, response.statusCode());
    BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try {
        response.body().forEach(l -> {
          try {
            lines.add(JSON.readTree(l));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
      } catch (RuntimeException closedAtTheEndOfTheTest) {
        // the server goes away under the open watch
      }
    });
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private static String typeAndKey(BlockingQueue<JsonNode> lines) throws InterruptedException {
    JsonNode event = lines.poll(20, TimeUnit.SECONDS);
    return event == null ? "nothing" : event.get("type").asText() + " " + event.get("object").get("key").asText();
  }

  @Test
  void withoutARevisionTheExistingKeysComeAsAddedThenEveryChange() throws Exception {
    await(kv.put(b("w/a"), b("1"), OptionalLong.empty()));
    await(kv.put(b("w/b"), b("1"), OptionalLong.empty()));
    await(kv.put(b("x/other"), b("1"), OptionalLong.empty()));
    BlockingQueue<JsonNode> lines = watch("watch=true&prefix=true");
    assertEquals("ADDED w/a", typeAndKey(lines));
    assertEquals("ADDED w/b", typeAndKey(lines));
    await(kv.put(b("w/a"), b("2"), OptionalLong.empty()));
    await(kv.put(b("x/other"), b("2"), OptionalLong.empty()));
    var deleted = (QuorumKv.Outcome.Written) await(kv.delete(b("w/b"), OptionalLong.empty()));
    await(kv.put(b("w/c"), b("1"), OptionalLong.empty()));
    assertEquals("MODIFIED w/a", typeAndKey(lines));
    JsonNode deletion = lines.poll(20, TimeUnit.SECONDS);
    assertEquals("DELETED", deletion.get("type").asText());
    assertEquals(deleted.revision(), deletion.get("object").get("modRevision").asLong());
    assertEquals("1", deletion.get("object").get("value").asText(), "the deleted key's last value");
    assertEquals("ADDED w/c", typeAndKey(lines));
  }

  @Test
  void fromARevisionOnlyLaterChangesComeAndACompactedOneIsGone() throws Exception {
    var first = (QuorumKv.Outcome.Written) await(kv.put(b("w/a"), b("1"), OptionalLong.empty()));
    await(kv.put(b("w/a"), b("2"), OptionalLong.empty()));
    BlockingQueue<JsonNode> lines = watch("watch=true&prefix=true&revision=" + first.revision());
    JsonNode event = lines.poll(20, TimeUnit.SECONDS);
    assertEquals("MODIFIED", event.get("type").asText());
    assertEquals(2, event.get("object").get("version").asLong());

    await(kv.put(b("w/a"), b("3"), OptionalLong.empty()));
    await(kv.compact(3));
    var gone = CLIENT.send(HttpRequest.newBuilder(uri("/kv/w%2F?watch=true&prefix=true&revision=1")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(410, gone.statusCode());
    JsonNode status = JSON.readTree(gone.body());
    assertEquals("Status", status.get("kind").asText());
    assertEquals(410, status.get("code").asInt());
    assertTrue(status.get("message").asText().contains("oldest revision a watch can start from is 3"), gone.body());

    var bad = CLIENT.send(HttpRequest.newBuilder(uri("/kv/w%2F?watch=true&revision=soon")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, bad.statusCode());
    assertEquals(List.of("revision"), List.of(JSON.readTree(bad.body()).get("details").get("causes").get(0)
        .get("field").asText()));
  }
}
