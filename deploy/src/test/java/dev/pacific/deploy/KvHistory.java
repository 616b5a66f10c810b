package dev.pacific.deploy;

import dev.pacific.controlplane.quorum.check.History;
import dev.pacific.controlplane.quorum.check.Operation;
import dev.pacific.controlplane.quorum.check.RegisterOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent clients doing put, get and compare-and-swap on a few keys through the LB, each
 * operation recorded with its call and return time for the linearizability checker (Jepsen's
 * way). Values are unique, so a value names the write that made it; that is also why a CAS on
 * the mod revision read just before can be checked as a CAS on that value. Only an answer is
 * definite: a time-out or a broken connection, and any 5xx, leave the operation open-ended
 * (it may have taken effect at any later time, or never).
 */
final class KvHistory {

  private final History history = new History();
  private final Kv kv;
  private final int clients;
  private final int keys;
  private final long pauseMillis;
  private final List<Thread> threads = new ArrayList<>();
  private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
  private final AtomicLong lastWriteOk = new AtomicLong();
  private volatile boolean running = true;

  /** {@code pauseMillis} between a client's operations keeps the history small enough to check quickly. */
  KvHistory(Kv kv, int clients, int keys, long pauseMillis) {
    this.kv = kv;
    this.clients = clients;
    this.keys = keys;
    this.pauseMillis = pauseMillis;
  }

  void start() {
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t = new Thread(() -> loop(client), "history-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** The {@link System#nanoTime} of the latest acknowledged put or successful CAS. */
  long lastWriteOk() {
    return lastWriteOk.get();
  }

  void stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join();
    }
  }

  List<Operation> operations() {
    synchronized (history) {
      return history.operations();
    }
  }

  /** How each kind of operation ended, e.g. {@code {CAS 409=120, GET 200=900, PUT timeout=3}}. */
  String outcomes() {
    return new TreeMap<>(outcomes).toString();
  }

  private void loop(int client) {
    Random random = new Random(client * 7919L);
    for (int n = 0; running; n++) {
      String key = "h/" + random.nextInt(keys);
      String value = "c" + client + "-" + n;
      int dice = random.nextInt(10);
      if (dice < 4) {
        put(client, key, value);
      } else if (dice < 7) {
        get(client, key);
      } else {
        cas(client, key, value);
      }
      pause();
    }
  }

  private void put(int client, String key, String value) {
    int id = invoke(client, new RegisterOp.Put(key, value));
    Kv.Answer a = kv.put(key, value);
    if (a != null && a.code() == 200) {
      lastWriteOk.accumulateAndGet(System.nanoTime(), Math::max);
      complete(id, null);
    } else {
      indeterminate(id);
    }
    count("PUT", a);
  }

  /** The value read, or empty when the read itself got no definite answer. */
  private Kv.Answer get(int client, String key) {
    int id = invoke(client, new RegisterOp.Get(key));
    Kv.Answer a = kv.get(key);
    if (a != null && (a.code() == 200 || a.code() == 404)) {
      complete(id, a.code() == 200 ? a.value() : null);
    } else {
      indeterminate(id);
    }
    count("GET", a);
    return a;
  }

  /** Read the mod revision, then PUT with it as {@code prevRevision}: the checker sees a CAS on the value read. */
  private void cas(int client, String key, String value) {
    Kv.Answer read = get(client, key);
    if (read == null || (read.code() != 200 && read.code() != 404)) {
      return;
    }
    String expected = read.code() == 200 ? read.value() : null;
    long prev = read.code() == 200 ? read.modRevision() : 0;
    int id = invoke(client, new RegisterOp.Cas(key, expected, value));
    Kv.Answer a = kv.cas(key, value, prev);
    if (a != null && (a.code() == 200 || a.code() == 409)) {
      if (a.code() == 200) {
        lastWriteOk.accumulateAndGet(System.nanoTime(), Math::max);
      }
      complete(id, a.code() == 200);
    } else {
      indeterminate(id);
    }
    count("CAS", a);
  }

  private int invoke(int client, RegisterOp op) {
    synchronized (history) {
      return history.invoke(client, op, System.nanoTime());
    }
  }

  private void complete(int id, Object output) {
    synchronized (history) {
      history.complete(id, output, System.nanoTime());
    }
  }

  private void indeterminate(int id) {
    synchronized (history) {
      history.timeout(id);
    }
  }

  private void count(String kind, Kv.Answer a) {
    outcomes.computeIfAbsent(kind + " " + (a == null ? "no answer" : a.code()), k -> new AtomicLong()).incrementAndGet();
  }

  private void pause() {
    try {
      Thread.sleep(pauseMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
