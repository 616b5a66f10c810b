package dev.pacific.deploy.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Pod creates, deletes and reads through the LB in one namespace, keeping a few pods alive at a
 * time: remembers which creates and deletes were acknowledged, so the end checks can hold the
 * cluster to them. A create or delete without an answer is asked again by name until answered,
 * as {@code kubectl} users do. Every third pod has {@code restartPolicy: Never} (its name starts
 * with {@link #NEVER}): when its host is lost it must end {@code Failed}/{@code NodeLost}, never
 * run elsewhere.
 */
final class PodWorkload {

  static final String NAMESPACE = "chaos";
  /** The name prefix of the pods with {@code restartPolicy: Never}. */
  static final String NEVER = "n-";

  private final Client client;
  private final String image;
  private final int target;
  private final Random random;
  private final long seed;
  private final Tally tally;
  /** Acknowledged creates not (yet) deleted: name to uid. */
  private final Map<String, String> live = new LinkedHashMap<>();
  /** Acknowledged deletes: name to uid. */
  private final Map<String, String> deleted = new LinkedHashMap<>();
  /** Creates and deletes sent without an answer, asked again. */
  private final Set<String> unsureCreates = new LinkedHashSet<>();
  private final Set<String> unsureDeletes = new LinkedHashSet<>();
  /** When each acknowledged pod was created (uid to nanoTime), and deleted; for its time without a host. */
  private final Map<String, Long> createdAt = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<String> anomalies = Collections.synchronizedList(new ArrayList<>());
  private Thread thread;
  private volatile boolean running = true;
  private int next;

  PodWorkload(String api, String image, int target, long seed, Tally tally) {
    this.client = new Client(api, Duration.ofSeconds(10));
    this.image = image;
    this.target = target;
    this.random = new Random(seed ^ 0x5eed);
    this.seed = seed;
    this.tally = tally;
  }

  /** Creates the namespace (retrying until it exists), then starts the loop. */
  void start() throws InterruptedException {
    ObjectNode ns = Client.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
    ns.putObject("metadata").put("name", NAMESPACE);
    for (int i = 0; ; i++) {
      Client.Answer a = client.post("/api/v1/namespaces", ns);
      if (a != null && (a.code() == 201 || a.code() == 409)) {
        break;
      }
      if (i > 60 || (a != null && a.code() < 500)) {
        throw new IllegalStateException("namespace " + NAMESPACE + " not created: " + a);
      }
      Thread.sleep(1000);
    }
    thread = new Thread(this::loop, "chaos-pods");
    thread.setDaemon(true);
    thread.start();
  }

  void stop() throws InterruptedException {
    running = false;
    if (thread != null) {
      thread.join(60_000);
    }
    // settle what is unsure, so the end checks know what to expect
    for (int i = 0; i < 30 && !(unsureCreates.isEmpty() && unsureDeletes.isEmpty()); i++) {
      retryUnsure();
      Thread.sleep(1000);
    }
  }

  private void loop() {
    while (running) {
      retryUnsure();
      if (live.size() < target && random.nextInt(4) > 0) {
        create((next % 3 == 2 ? NEVER : "p-") + seed + "-" + next++);
      } else if (!live.isEmpty() && random.nextInt(3) == 0) {
        delete(pick(live));
      } else if (!live.isEmpty() || !deleted.isEmpty()) {
        read(random.nextBoolean() && !deleted.isEmpty() ? pick(deleted) : live.isEmpty() ? pick(deleted) : pick(live));
      }
      sleep(300 + random.nextInt(700));
    }
  }

  private String pick(Map<String, String> from) {
    List<String> names = new ArrayList<>(from.keySet());
    return names.get(random.nextInt(names.size()));
  }

  private ObjectNode pod(String name) {
    ObjectNode pod = Client.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
    ObjectNode meta = pod.putObject("metadata").put("name", name).put("namespace", NAMESPACE);
    meta.putObject("labels").put("app", "chaos");
    ObjectNode spec = pod.putObject("spec");
    if (name.startsWith(NEVER)) {
      spec.put("restartPolicy", "Never");
    }
    ObjectNode c = spec.putArray("containers").addObject().put("name", "main").put("image", image);
    c.putArray("command").add("sleep").add("3600");
    c.putObject("resources").putObject("requests").put("cpu", "10m").put("memory", "16Mi");
    return pod;
  }

  private void create(String name) {
    Client.Answer a = client.post("/api/v1/namespaces/" + NAMESPACE + "/pods", pod(name));
    tally.count("pod.create", a);
    if (a != null && a.code() == 201) {
      live.put(name, a.body().path("metadata").path("uid").asText());
      createdAt.put(a.body().path("metadata").path("uid").asText(), System.nanoTime());
    } else if (a == null || a.code() >= 500 || a.code() == 409) {
      unsureCreates.add(name); // 409: an earlier unanswered create of the name took after all
    } else {
      anomalies.add("create of " + name + " answered " + a.code() + " " + a.body());
    }
  }

  private void delete(String name) {
    Client.Answer a = client.delete(path(name));
    tally.count("pod.delete", a);
    if (a != null && (a.code() == 200 || a.code() == 202)) {
      String uid = live.remove(name);
      if (uid != null) {
        createdAt.remove(uid); // asked to stop: no longer owed a host
      }
      deleted.put(name, uid);
      unsureDeletes.remove(name);
    } else if (a != null && a.code() == 404) {
      String uid = live.remove(name);
      if (uid != null && !unsureDeletes.contains(name)) {
        anomalies.add("acknowledged pod " + name + " (uid " + uid + ") was gone before its delete");
      }
      deleted.put(name, uid);
      unsureDeletes.remove(name);
    } else {
      unsureDeletes.add(name);
    }
  }

  private void read(String name) {
    Client.Answer a = client.get(path(name));
    tally.count("pod.get", a);
    if (a == null) {
      return;
    }
    if (live.containsKey(name) && !unsureDeletes.contains(name)) {
      if (a.code() == 404) {
        anomalies.add("acknowledged pod " + name + " read 404 before any delete");
      } else if (a.code() == 200 && !live.get(name).equals(a.body().path("metadata").path("uid").asText())) {
        anomalies.add("pod " + name + " read with uid " + a.body().path("metadata").path("uid").asText()
            + ", created with " + live.get(name));
      }
    }
  }

  /** Asks again after creates and deletes that got no answer: the name tells whether the create took. */
  private void retryUnsure() {
    for (String name : List.copyOf(unsureCreates)) {
      Client.Answer a = client.get(path(name));
      if (a != null && a.code() == 200) {
        unsureCreates.remove(name);
        live.put(name, a.body().path("metadata").path("uid").asText());
      } else if (a != null && a.code() == 404 && running) {
        unsureCreates.remove(name);
        create(name);
      } else if (a != null && a.code() == 404) {
        unsureCreates.remove(name); // never took, and the run is over: not expected to exist
      }
    }
    for (String name : List.copyOf(unsureDeletes)) {
      delete(name);
    }
  }

  private static String path(String name) {
    return "/api/v1/namespaces/" + NAMESPACE + "/pods/" + name;
  }

  /** Acknowledged creates not deleted, uid to when acknowledged (nanoTime). */
  Map<String, Long> createdAt() {
    return Map.copyOf(createdAt);
  }

  /** Acknowledged creates never deleted, name to uid. */
  Map<String, String> live() {
    return Map.copyOf(live);
  }

  Map<String, String> deleted() {
    Map<String, String> out = new LinkedHashMap<>();
    deleted.forEach((k, v) -> out.put(k, v == null ? "" : v));
    return out;
  }

  List<String> anomalies() {
    synchronized (anomalies) {
      return List.copyOf(anomalies);
    }
  }

  JsonNode list() {
    return client.get("/api/v1/namespaces/" + NAMESPACE + "/pods").body();
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
