package dev.pacific.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Follows one namespace's pods through {@code ?watch=true} (CONTRACT.md "Watch") and remembers,
 * per pod, its latest host and phase and when (System.nanoTime on arrival) it was first seen bound
 * and first seen Running on its current host. A watch event arrives a little after the change, so
 * the times are upper bounds, as a client would measure them. When the stream breaks (its member
 * was downed, say), it watches again from the last resourceVersion it saw, as an informer does.
 */
final class PodWatch implements AutoCloseable {

  /** What the watch last said about one pod. */
  record Seen(String node, String phase, long boundAt, long runningAt) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Breaks in a row after which the watch gives up: the cluster is not coming back. */
  private static final int MAX_RESUMES = 300;

  private final Map<String, Seen> pods = new ConcurrentHashMap<>();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final URI api;
  private final String namespace;
  private final Thread reader;
  private volatile InputStream body;
  private volatile boolean closed;
  private volatile String failure;
  private volatile long lastResourceVersion;
  private int resumes;

  PodWatch(URI api, String namespace) throws IOException, InterruptedException {
    this.api = api;
    this.namespace = namespace;
    body = open("");
    reader = new Thread(this::read, "pod-watch-" + namespace);
    reader.setDaemon(true);
    reader.start();
  }

  private InputStream open(String from) throws IOException, InterruptedException {
    HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(api.resolve("/api/v1/namespaces/" + namespace
        + "/pods?watch=true" + from)).build(), HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      throw new IOException("watch of namespace " + namespace + ": HTTP " + r.statusCode() + " "
          + new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
    }
    return r.body();
  }

  private void read() {
    while (!closed) {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (!line.isBlank()) {
            onEvent(JSON.readTree(line), System.nanoTime());
            resumes = 0;
          }
        }
      } catch (IOException e) {
        // the stream broke: watch again from the last resourceVersion below
      }
      if (closed || failure != null) {
        return;
      }
      body = resume();
      if (body == null) {
        return;
      }
    }
  }

  /** A new stream from the last resourceVersion seen; null (and a failure said) after too many tries. */
  private InputStream resume() {
    while (!closed && ++resumes <= MAX_RESUMES) {
      try {
        Thread.sleep(200);
        return open("&resourceVersion=" + lastResourceVersion);
      } catch (IOException e) {
        // no member behind the LB yet, or not ready: try again
      } catch (InterruptedException e) {
        return null;
      }
    }
    if (!closed) {
      failure = "the watch broke and could not resume from resourceVersion " + lastResourceVersion;
    }
    return null;
  }

  private void onEvent(JsonNode event, long at) {
    String type = event.path("type").asText();
    JsonNode pod = event.path("object");
    if (type.equals("ERROR")) {
      failure = "the watch sent an error: " + pod;
      return;
    }
    String name = pod.path("metadata").path("name").asText();
    lastResourceVersion = Math.max(lastResourceVersion,
        Long.parseLong(pod.path("metadata").path("resourceVersion").asText("0")));
    if (type.equals("DELETED")) {
      pods.remove(name);
      return;
    }
    String node = pod.path("spec").path("nodeName").asText("");
    String phase = pod.path("status").path("phase").asText("");
    pods.compute(name, (n, before) -> {
      boolean sameNode = before != null && before.node().equals(node);
      long boundAt = node.isEmpty() ? 0 : sameNode && before.boundAt() != 0 ? before.boundAt() : at;
      long runningAt = !phase.equals("Running") || node.isEmpty() ? 0
          : sameNode && before.runningAt() != 0 ? before.runningAt() : at;
      return new Seen(node, phase, boundAt, runningAt);
    });
  }

  /** The latest state of {@code name}, or null if the watch has not seen it. */
  Seen get(String name) {
    return pods.get(name);
  }

  Map<String, Seen> all() {
    return Map.copyOf(pods);
  }

  int size() {
    return pods.size();
  }

  long count(Predicate<Seen> which) {
    return pods.values().stream().filter(which).count();
  }

  /** Throws if the watch broke: every figure after that would be wrong. */
  void check() throws IOException {
    if (failure != null) {
      throw new IOException(failure);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      body.close();
    } catch (IOException e) {
      // closing anyway
    }
    reader.interrupt();
  }
}
