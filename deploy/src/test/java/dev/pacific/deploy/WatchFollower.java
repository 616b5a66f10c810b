package dev.pacific.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A watch client the way a Kubernetes informer uses one: when the stream breaks (its member was
 * killed), it watches again through the load balancer from the last revision it saw. It follows
 * either the admin key-value watch ({@code /admin/v1/kv/{prefix}?watch=true&prefix=true&revision=N})
 * or an object watch of the API ({@code /api/v1/pods?watch=true&resourceVersion=N}, see
 * {@link #objects}).
 */
final class WatchFollower implements AutoCloseable {

  /** One event as seen, in arrival order: for objects, key = namespace/name, value = label {@code gen}. */
  record Seen(String type, String key, String value, long modRevision) {}

  private final String api;
  /** Where the first watch request goes (a member's own port, to know whose death it will survive). */
  private volatile String first;
  private final java.util.function.LongFunction<String> path;
  private final java.util.function.Function<JsonNode, Seen> parse;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Seen> seen = new ArrayList<>();
  private final AtomicInteger resumes = new AtomicInteger();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Thread thread;
  private volatile long lastRevision;

  WatchFollower(String api, String prefix, long fromRevision) {
    this(api, api, prefix, fromRevision);
  }

  /** A key-value watch that starts on {@code firstApi} and resumes through {@code api}. */
  WatchFollower(String firstApi, String api, String prefix, long fromRevision) {
    this(firstApi, api, rev -> Kv.path(prefix) + "?watch=true&prefix=true&revision=" + rev, WatchFollower::keyValue,
        fromRevision);
  }

  /** Follows {@code collection} (e.g. {@code /api/v1/pods}) from {@code resourceVersion}. */
  static WatchFollower objects(String api, String collection, long resourceVersion) {
    return objects(api, api, collection, resourceVersion);
  }

  /** An object watch that starts on {@code firstApi} (a member's own port) and resumes through {@code api}. */
  static WatchFollower objects(String firstApi, String api, String collection, long resourceVersion) {
    return new WatchFollower(firstApi, api, rev -> collection + "?watch=true&resourceVersion=" + rev, WatchFollower::object,
        resourceVersion);
  }

  private WatchFollower(String firstApi, String api, java.util.function.LongFunction<String> path,
      java.util.function.Function<JsonNode, Seen> parse, long fromRevision) {
    this.api = api;
    this.first = firstApi;
    this.path = path;
    this.parse = parse;
    this.lastRevision = fromRevision;
    this.thread = new Thread(this::run, "watch-follower");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (!stopped.get()) {
      try {
        String base = first != null ? first : api;
        first = null;
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path.apply(lastRevision))).GET().build();
        HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() == 200) {
          response.body().forEach(this::onLine);
        }
      } catch (IOException | RuntimeException e) {
        // the serving member died mid-stream (or none answered yet): watch again from lastRevision
      } catch (InterruptedException e) {
        return;
      }
      if (!stopped.get()) {
        resumes.incrementAndGet();
        sleep(100);
      }
    }
  }

  private void onLine(String line) {
    if (stopped.get()) {
      throw new IllegalStateException("stopped");
    }
    if (line.isBlank()) {
      return; // a keep-alive on an idle watch (JSON decoders skip whitespace between events)
    }
    try {
      Seen event = parse.apply(Http.JSON.readTree(line));
      if (event == null) {
        return;
      }
      long rev = event.modRevision();
      synchronized (seen) {
        seen.add(event);
      }
      if (rev > lastRevision) {
        lastRevision = rev;
      }
    } catch (IOException e) {
      throw new IllegalStateException("not a JSON event: " + line, e);
    }
  }

  private static Seen keyValue(JsonNode event) {
    JsonNode o = event.path("object");
    return new Seen(event.path("type").asText(), o.path("key").asText(), o.path("value").asText(null),
        o.path("modRevision").asLong(-1));
  }

  /** An object event; BOOKMARKs only move the revision on, so they are not recorded as changes. */
  private static Seen object(JsonNode event) {
    JsonNode meta = event.path("object").path("metadata");
    String type = event.path("type").asText();
    if (type.equals("BOOKMARK") || type.equals("ERROR")) {
      return null;
    }
    return new Seen(type, meta.path("namespace").asText() + "/" + meta.path("name").asText(),
        meta.path("labels").path("gen").asText(null), Long.parseLong(meta.path("resourceVersion").asText("-1")));
  }

  long lastRevision() {
    return lastRevision;
  }

  int resumes() {
    return resumes.get();
  }

  List<Seen> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stopped.set(true);
    thread.interrupt();
  }
}
