package dev.pacific.deploy.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A watch of the workload's keys through the LB, resumed the way a Kubernetes informer resumes
 * one: when the stream breaks (its member or the LB was killed), it watches again from the last
 * revision it saw. It records every event as it came, and every ERROR event, so the checks can
 * prove it saw each committed change once, in revision order.
 */
final class KvWatch implements AutoCloseable {

  /** One event as it arrived; {@code seenNanos} is when it arrived ({@link System#nanoTime}). */
  record Event(String type, String key, String value, long modRevision, long version, long seenNanos) {}

  private final String api;
  private final String prefix;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Event> events = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private final AtomicInteger resumes = new AtomicInteger();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile long lastRevision;

  KvWatch(String api, String prefix, long fromRevision) {
    this.api = api;
    this.prefix = prefix;
    this.lastRevision = fromRevision;
    this.thread = new Thread(this::run, "chaos-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (!stopped) {
      try {
        URI uri = URI.create(api + Client.kvPath(prefix) + "?watch=true&prefix=true&revision=" + lastRevision);
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(uri).GET().build(),
            HttpResponse.BodyHandlers.ofLines());
        if (r.statusCode() == 200) {
          r.body().forEach(this::onLine);
        } else if (r.statusCode() == 410) {
          // compacted past the last revision seen: the changes in between can never be seen
          error("watch from revision " + lastRevision + " answered 410: " + String.join(" ", r.body().toList()));
        } else {
          r.body().close(); // a member without a leader (503) or a refused proxy: try again
        }
      } catch (IOException | RuntimeException e) {
        // the serving member or the LB died mid-stream (or none answered yet): watch again from lastRevision
      } catch (InterruptedException e) {
        return;
      }
      if (!stopped) {
        resumes.incrementAndGet();
        sleep(100);
      }
    }
  }

  private void onLine(String line) {
    if (stopped) {
      throw new IllegalStateException("stopped");
    }
    JsonNode event;
    try {
      event = Client.JSON.readTree(line);
    } catch (IOException e) {
      error("not a JSON event: " + line);
      return;
    }
    String type = event.path("type").asText();
    JsonNode o = event.path("object");
    if (type.equals("ERROR")) {
      // 429: too slow for its buffer, watch again from the last revision; 410: compacted past it, a lost history
      if (o.path("code").asInt() != 429) {
        error("ERROR event after revision " + lastRevision + ": " + o);
      }
      throw new IllegalStateException("watch again");
    }
    long rev = o.path("modRevision").asLong(-1);
    synchronized (events) {
      events.add(new Event(type, o.path("key").asText(), o.path("value").asText(null), rev,
          o.path("version").asLong(-1), System.nanoTime()));
    }
    if (rev > lastRevision) {
      lastRevision = rev;
    }
  }

  private void error(String what) {
    synchronized (errors) {
      if (errors.size() < 100) {
        errors.add(what);
      }
    }
  }

  long lastRevision() {
    return lastRevision;
  }

  int resumes() {
    return resumes.get();
  }

  List<Event> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  List<String> errors() {
    synchronized (errors) {
      return List.copyOf(errors);
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
    stopped = true;
    thread.interrupt();
  }
}
