package dev.pacific.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.pacific.controlplane.entities.Entities;
import dev.pacific.controlplane.persistence.QuorumFixture;
import dev.pacific.controlplane.persistence.RegistryReader;
import dev.pacific.controlplane.quorum.KvStateMachine;
import dev.pacific.controlplane.quorum.QuorumClient;
import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.quorum.QuorumMember;
import dev.pacific.controlplane.quorum.QuorumSettings;
import dev.pacific.controlplane.quorum.QuorumStorage;
import dev.pacific.http.HttpServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.serialization.SerializationExtension;
import org.slf4j.LoggerFactory;

/**
 * The registry API over real HTTP on a free port, backed by a one-member quorum on LevelDB in a
 * temporary directory and {@link KvMutations}. Quiet connections are cut after 2 s
 * ({@code pekko.http.server.idle-timeout}) and watches send a keep-alive line every 300 ms, so
 * tests can show that a quiet watch outlives the idle timeout. {@link #withEntities()} serves the
 * same API over the real entities instead, for what only they do (quota admission and usage).
 */
final class RegistryApiServer implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);

  private static final String SETTINGS = """
      pacific.api.watch-idle-interval = 300ms
      pekko.http.server.idle-timeout = %ds
      pekko.loglevel = WARNING
      """.formatted(IDLE_TIMEOUT.toSeconds());

  final QuorumKv kv;
  final ServerBinding binding;
  /** Stops what serves the API: the actor system, the quorum and its directory. */
  private final AutoCloseable backend;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  RegistryApiServer() {
    this(new NameGenerator());
  }

  RegistryApiServer(NameGenerator names) {
    this(names, m -> m, "");
  }

  /**
   * @param mutations wraps the KV-backed mutations (to make them slow or failing)
   * @param extraConfig more settings, overriding the defaults above
   */
  RegistryApiServer(NameGenerator names, java.util.function.UnaryOperator<dev.pacific.controlplane.entities.Mutations>
      mutations, String extraConfig) {
    Path dir = null;
    ActorTestKit kit = null;
    QuorumStorage storage = null;
    try {
      dir = Files.createTempDirectory("pacific-registry-api-");
      Config config = ConfigFactory.parseString("""
          pacific.control-plane.peers = ["cp-1=127.0.0.1:1"]
          pacific.quorum.tick = 20ms
          %s
          pekko.actor.serialization-bindings {
            "dev.pacific.controlplane.api.TestEntityState" = jackson-json
          }
          %s
          """.formatted(SETTINGS, extraConfig)).withFallback(ConfigFactory.load());
      storage = QuorumStorage.open(dir, "cp-1", config);
      kit = ActorTestKit.create("pacific", config);
      ActorRef<QuorumMember.Command> member = kit.spawn(QuorumMember.create(QuorumSettings.fromConfig(config, "cp-1"),
          storage.log(), storage.stateMachine()), "quorum");
      kv = new QuorumKv(new QuorumClient(kit.system(), member, KvStateMachine.SESSIONS,
          QuorumClient.Settings.fromConfig(config)));
      var serialization = SerializationExtension.get(kit.system().classicSystem());
      RegistryReader reader = new RegistryReader(kv, storage.watch(), serialization);
      ResourceRoutes routes = new ResourceRoutes(reader, mutations.apply(new KvMutations(kv, serialization)),
          new NodeSource.Registry(),
          ApiSettings.fromConfig(config), kit.system(), java.time.Clock.systemUTC(), names);
      binding = bind(kit.system(), routes);
    } catch (Exception e) {
      throw new IllegalStateException("could not start the registry API", e);
    }
    ActorTestKit system = kit;
    QuorumStorage stored = storage;
    Path data = dir;
    backend = () -> {
      system.shutdownTestKit();
      stored.close();
      delete(data);
    };
  }

  /** Over the real entities ({@link Entities#start}) on a one-member cluster: pods are admitted by their namespace. */
  private RegistryApiServer(QuorumFixture quorum) {
    try {
      Entities entities = Entities.start(quorum.system(), quorum.kv, quorum.podCache(),
        quorum.system().settings().config());
      RegistryReader reader = new RegistryReader(quorum.kv, quorum.watch(),
          SerializationExtension.get(quorum.system()));
      ResourceRoutes routes = new ResourceRoutes(reader, entities.mutations(), new NodeSource.Registry(),
          ApiSettings.fromConfig(quorum.system().settings().config()), quorum.system(), java.time.Clock.systemUTC(),
          new NameGenerator());
      kv = quorum.kv;
      binding = bind(quorum.system(), routes);
    } catch (Exception e) {
      quorum.close();
      throw new IllegalStateException("could not start the registry API over the entities", e);
    }
    backend = quorum;
  }

  static RegistryApiServer withEntities() throws InterruptedException {
    return new RegistryApiServer(QuorumFixture.oneMemberCluster(SETTINGS));
  }

  private static ServerBinding bind(ActorSystem<?> system, ResourceRoutes routes) throws Exception {
    return HttpServers.bind(system, "127.0.0.1", 0, routes.route(), LoggerFactory.getLogger("api"))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + pathAndQuery);
  }

  /** One request; {@code contentType} null sends none. */
  HttpResponse<String> send(String method, String pathAndQuery, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> get(String path, String... headers) {
    return send("GET", path, null, null, headers);
  }

  HttpResponse<String> post(String path, String json) {
    return send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<String> put(String path, String json) {
    return send("PUT", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<String> patch(String path, String json) {
    return send("PATCH", path, "application/merge-patch+json", json.getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<String> delete(String path) {
    return send("DELETE", path, null, null);
  }

  /** The body as JSON, failing the test with the body when it is not JSON. */
  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
    }
  }

  /** A JSON object from single-quoted text, for readable test bodies. */
  static String q(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  /** Opens a watch and hands its non-blank lines to a queue as they arrive; blank keep-alive lines are counted. */
  Watch watch(String pathAndQuery) {
    try {
      HttpResponse<Stream<String>> response = client.send(HttpRequest.newBuilder(uri(pathAndQuery)).build(),
          HttpResponse.BodyHandlers.ofLines());
      Watch w = new Watch(response.statusCode());
      Thread reader = new Thread(() -> {
        try {
          response.body().forEach(w::accept);
        } catch (RuntimeException closed) {
          // the server or the test closed the stream
        }
        w.ended = true;
      });
      reader.setDaemon(true);
      reader.start();
      return w;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static final class Watch {
    final int status;
    final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    volatile int blankLines;
    volatile boolean ended;

    Watch(int status) {
      this.status = status;
    }

    void accept(String line) {
      if (line.isBlank()) {
        blankLines++;
        return;
      }
      try {
        events.add(JSON.readTree(line));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The next event, or null after 20 s without one. */
    JsonNode next() throws InterruptedException {
      return events.poll(20, TimeUnit.SECONDS);
    }

    /** The next event that is not a BOOKMARK. */
    JsonNode nextChange() throws InterruptedException {
      JsonNode e;
      do {
        e = next();
      } while (e != null && e.path("type").asText().equals("BOOKMARK"));
      return e;
    }
  }

  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    binding.unbind();
    try {
      backend.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
