package dev.pacific.deploy.chaos;

import dev.pacific.controlplane.quorum.check.History;
import dev.pacific.controlplane.quorum.check.Operation;
import dev.pacific.controlplane.quorum.check.RegisterOp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Concurrent clients doing put, get and compare-and-swap through the LB on a few shared keys and
 * on keys written once, each operation recorded with its call and return time for the
 * linearizability checker (Jepsen's way). Values are unique, so a value names the write that made
 * it, and a CAS on the mod revision just read is a CAS on the value read. Only an answer is
 * definite: a time-out, a broken connection or a 5xx leaves the operation open-ended. Every
 * acknowledged write and every value read is remembered with its revision, for the watch and
 * durability checks.
 *
 * <p>The shared keys change every {@link #KEY_GENERATION} (Jepsen's independent keys): an open-ended
 * write stays concurrent with every later operation on its key and multiplies the checker's
 * search, so each key sees a bounded number of operations and of faults.
 */
final class KvWorkload {

  static final String PREFIX = "chaos/";
  static final Duration KEY_GENERATION = Duration.ofSeconds(10);
  private static final Object NO_ANSWER = new Object();

  /** A write acknowledged, or a value read, at its mod revision. */
  record Seen(String key, String value, long revision) {}

  private final History history = new History();
  private final Client client;
  private final Client burstClient;
  private final int clients;
  private final int sharedKeys;
  private final long seed;
  private final Tally tally;
  private final List<Seen> acked = Collections.synchronizedList(new ArrayList<>());
  private final List<Seen> read = Collections.synchronizedList(new ArrayList<>());
  /** Completion times (nanoTime) of acknowledged writes, for the longest write outage. */
  private final List<Long> ackTimes = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> sharedKeysUsed = ConcurrentHashMap.newKeySet();
  private final long started = System.nanoTime();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;
  private int bursts;

  KvWorkload(String api, int clients, int sharedKeys, long seed, Tally tally) {
    this.client = new Client(api, Duration.ofSeconds(3));
    this.burstClient = new Client(api, Duration.ofMillis(400));
    this.clients = clients;
    this.sharedKeys = sharedKeys;
    this.seed = seed;
    this.tally = tally;
  }

  void start() {
    for (int c = 0; c < clients; c++) {
      int id = c;
      spawn("kv-client-" + c, () -> loop(id));
    }
  }

  /**
   * A burst of client retries (a thundering herd after an outage): {@code threads} extra clients,
   * each re-sending its put as soon as it fails, with a short time-out, for {@code length}.
   */
  synchronized void burst(int threadCount, Duration length) {
    int b = ++bursts;
    long until = System.nanoTime() + length.toNanos();
    for (int t = 0; t < threadCount; t++) {
      int id = 1000 * b + t;
      spawn("kv-burst-" + id, () -> {
        for (int n = 0; running && System.nanoTime() < until; n++) {
          String key = PREFIX + "b/" + seed + "-" + id + "-" + n;
          String value = "b" + id + "-" + n;
          // the same put again and again until one is answered: each attempt is its own operation
          while (running && System.nanoTime() < until && !put(id, key, value, burstClient, "kv.burst-put")) {
            Thread.onSpinWait();
          }
        }
      });
    }
  }

  void stop() throws InterruptedException {
    running = false;
    for (Thread t : List.copyOf(threads)) {
      t.join(30_000);
    }
  }

  List<Operation> operations() {
    synchronized (history) {
      return history.operations();
    }
  }

  List<Seen> acked() {
    synchronized (acked) {
      return List.copyOf(acked);
    }
  }

  List<Seen> read() {
    synchronized (read) {
      return List.copyOf(read);
    }
  }

  List<Long> ackTimes() {
    synchronized (ackTimes) {
      return List.copyOf(ackTimes);
    }
  }

  /** Every shared key the clients used, over all generations. */
  List<String> sharedKeys() {
    return new TreeSet<>(sharedKeysUsed).stream().toList();
  }

  private String sharedKey(Random random) {
    long generation = (System.nanoTime() - started) / KEY_GENERATION.toNanos();
    String key = PREFIX + "k" + generation + "-" + random.nextInt(sharedKeys);
    sharedKeysUsed.add(key);
    return key;
  }

  private synchronized void spawn(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private void loop(int id) {
    Random random = new Random(seed * 31 + id);
    for (int n = 0; running; n++) {
      String key = sharedKey(random);
      String value = "c" + id + "-" + n;
      int dice = random.nextInt(20);
      if (dice < 6) {
        put(id, key, value, client, "kv.put");
      } else if (dice < 11) {
        get(id, key);
      } else if (dice < 16) {
        cas(id, key, value);
      } else {
        put(id, PREFIX + "u/" + seed + "-" + id + "-" + n, value, client, "kv.put-once");
      }
      sleep(10);
    }
  }

  /** True when the put was answered 200. */
  private boolean put(int id, String key, String value, Client via, String kind) {
    long call = System.nanoTime();
    Client.Answer a = via.kvPut(key, value);
    tally.count(kind, a);
    if (a != null && a.code() == 200) {
      record(id, new RegisterOp.Put(key, value), call, null);
      written(key, value, a.revision());
      return true;
    }
    if (!Client.refused()) {
      record(id, new RegisterOp.Put(key, value), call, NO_ANSWER);
    }
    if (a == null || a.code() >= 500) {
      sleep(20); // a refused connection fails at once: do not spin against a dead member
    }
    return false;
  }

  /** A read without a definite answer constrains nothing, so it is left out of the history. */
  private Client.Answer get(int id, String key) {
    long call = System.nanoTime();
    Client.Answer a = client.kvGet(key);
    tally.count("kv.get", a);
    if (a != null && (a.code() == 200 || a.code() == 404)) {
      record(id, new RegisterOp.Get(key), call, a.code() == 200 ? a.value() : null);
      if (a.code() == 200) {
        read.add(new Seen(key, a.value(), a.modRevision()));
      }
    }
    return a;
  }

  /** Read the mod revision, then PUT with it as {@code prevRevision}: the checker sees a CAS on the value read. */
  private void cas(int id, String key, String value) {
    Client.Answer r = get(id, key);
    if (r == null || (r.code() != 200 && r.code() != 404)) {
      return;
    }
    String expected = r.code() == 200 ? r.value() : null;
    long prev = r.code() == 200 ? r.modRevision() : 0;
    RegisterOp.Cas op = new RegisterOp.Cas(key, expected, value);
    long call = System.nanoTime();
    Client.Answer a = client.kvCas(key, value, prev);
    tally.count("kv.cas", a);
    if (a != null && (a.code() == 200 || a.code() == 409)) {
      record(id, op, call, a.code() == 200);
      if (a.code() == 200) {
        written(key, value, a.revision());
      }
    } else if (!Client.refused()) {
      record(id, op, call, NO_ANSWER);
    }
  }

  private void written(String key, String value, long revision) {
    ackTimes.add(System.nanoTime());
    acked.add(new Seen(key, value, revision));
  }

  /**
   * Records an operation once its outcome is known, with the time it was called: answered
   * ({@code output}), or {@link #NO_ANSWER} (it may take effect at any time after its call, or
   * never). A call refused before any byte was sent is never recorded: it cannot have taken effect,
   * and every open-ended write multiplies the checker's search.
   */
  private void record(int id, RegisterOp op, long call, Object output) {
    synchronized (history) {
      int n = history.invoke(id, op, call);
      if (output == NO_ANSWER) {
        history.timeout(n);
      } else {
        history.complete(n, output, System.nanoTime());
      }
    }
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
