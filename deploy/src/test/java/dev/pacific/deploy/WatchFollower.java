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
 * A client of {@code /admin/v1/kv/{prefix}?watch=true&prefix=true&revision=N} the way a
 * Kubernetes informer uses a watch: when the stream breaks (its member was killed), it watches
 * again through the load balancer from the last revision it saw.
 */
final class WatchFollower implements AutoCloseable {

  /** One event as seen, in arrival order. */
  record Seen(String type, String key, String value, long modRevision) {}

  private final String api;
  private final String prefix;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Seen> seen = new ArrayList<>();
  private final AtomicInteger resumes = new AtomicInteger();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Thread thread;
  private volatile long lastRevision;

  WatchFollower(String api, String prefix, long fromRevision) {
    this.api = api;
    this.prefix = prefix;
    this.lastRevision = fromRevision;
    this.thread = new Thread(this::run, "watch-follower");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (!stopped.get()) {
      try {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + Kv.path(prefix)
            + "?watch=true&prefix=true&revision=" + lastRevision)).GET().build();
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
    try {
      JsonNode event = Http.JSON.readTree(line);
      JsonNode o = event.path("object");
      long rev = o.path("modRevision").asLong(-1);
      synchronized (seen) {
        seen.add(new Seen(event.path("type").asText(), o.path("key").asText(), o.path("value").asText(null), rev));
      }
      if (rev > lastRevision) {
        lastRevision = rev;
      }
    } catch (IOException e) {
      throw new IllegalStateException("not a JSON event: " + line, e);
    }
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
