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
 * A watch through the LB, resumed the way a Kubernetes informer resumes one: when the stream breaks
 * (its member or the LB was killed), it watches again from the last revision it saw. Subclasses
 * say where to watch from a revision and what an event is; this records every ERROR event and
 * every refusal that means history was lost (410), so the checks can prove the watch complete.
 */
abstract class ResumingWatch implements AutoCloseable {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final List<String> errors = new ArrayList<>();
  private final AtomicInteger resumes = new AtomicInteger();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile long lastRevision;

  ResumingWatch(String name, long fromRevision) {
    this.lastRevision = fromRevision;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  /** Starts watching; call once the subclass is constructed. */
  final void start() {
    thread.start();
  }

  /** The watch's address, resuming strictly after {@code revision}. */
  abstract URI from(long revision);

  /** Records one event (not ERROR); returns its revision. */
  abstract long onEvent(String type, JsonNode object, long arrivedNanos);

  private void run() {
    while (!stopped) {
      try {
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(from(lastRevision)).GET().build(),
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
    if (line.isBlank()) {
      return; // a keep-alive
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
    long rev = onEvent(type, o, System.nanoTime());
    if (rev > lastRevision) {
      lastRevision = rev;
    }
  }

  final void error(String what) {
    synchronized (errors) {
      if (errors.size() < 100) {
        errors.add(what);
      }
    }
  }

  final long lastRevision() {
    return lastRevision;
  }

  final int resumes() {
    return resumes.get();
  }

  final List<String> errors() {
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
