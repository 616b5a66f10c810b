package dev.pacific.deploy.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop put load: {@code clients} threads, each with one kept-alive HTTP/1.1 connection,
 * each sending a put and waiting for its answer before the next — the way etcd's own benchmark
 * tool measures, so put/s and latency are comparable. Runs until {@link #stop}; latencies count
 * from {@link #measureFromNow} on, so start-up and warm-up stay out of the figures.
 *
 * <p>For failover it also answers "when did writes resume": {@link #watchFrom} marks a moment (a
 * leader kill) and {@link #awaitResumed} waits for the first put that was sent after it and
 * succeeded.
 */
public final class KvLoad {

  /** Figures of one measured window. */
  public record Result(String label, long puts, long errors, double seconds, long[] sortedNanos) {
    public double perSecond() {
      return seconds <= 0 ? 0 : puts / seconds;
    }

    public double percentileMillis(double p) {
      if (sortedNanos.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
      return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, i))] / 1e6;
    }

    public String line() {
      return line("put/s");
    }

    /** One line of figures, rates in {@code unit} (e.g. {@code put/s}, {@code create/s}). */
    public String line(String unit) {
      return String.format("%-28s %8.0f " + unit + "   p50 %7.2f ms   p90 %7.2f ms   p99 %7.2f ms   errors %d", label,
          perSecond(), percentileMillis(50), percentileMillis(90), percentileMillis(99), errors);
    }
  }

  /** Keys each client cycles through, so the store's size stays bounded however long the run. */
  private static final int KEYS_PER_CLIENT = 1000;

  private final PutTarget target;
  private final byte[] value;
  private final int timeoutMillis;
  private final List<Client> clients = new ArrayList<>();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong resumedAt = new AtomicLong();
  private volatile boolean running = true;
  private volatile long measureFrom = Long.MAX_VALUE;
  private volatile long stopAt = Long.MAX_VALUE;
  private volatile long watchFrom = Long.MAX_VALUE;

  private KvLoad(PutTarget target, int valueBytes, int timeoutMillis) {
    this.target = target;
    this.value = value(valueBytes);
    this.timeoutMillis = timeoutMillis;
  }

  /** Starts {@code clients} threads putting {@code valueBytes}-byte values; a put waits at most {@code timeout}. */
  public static KvLoad start(PutTarget target, int clients, int valueBytes, Duration timeout) {
    KvLoad load = new KvLoad(target, valueBytes, (int) timeout.toMillis());
    for (int i = 0; i < clients; i++) {
      Client c = load.new Client(i);
      load.clients.add(c);
      c.thread.start();
    }
    return load;
  }

  public void measureFromNow() {
    errors.set(0);
    measureFrom = System.nanoTime();
  }

  /** Puts that failed (error status, refused, timed out) since {@link #measureFromNow}. */
  public long errors() {
    return errors.get();
  }

  /** From now on, {@link #awaitResumed} waits for a put sent at or after {@code nanos} to succeed. */
  public void watchFrom(long nanos) {
    resumedAt.set(0);
    watchFrom = nanos;
  }

  /** The {@link System#nanoTime} at which that put succeeded, or -1 if none did within {@code limit}. */
  public long awaitResumed(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (resumedAt.get() == 0) {
      if (System.nanoTime() > deadline) {
        return -1;
      }
      Thread.sleep(5);
    }
    return resumedAt.get();
  }

  /** Stops every client and returns the figures of the window since {@link #measureFromNow}. */
  public Result stop(String label) throws InterruptedException {
    long end = System.nanoTime();
    stopAt = end;
    running = false;
    for (Client c : clients) {
      c.thread.join();
    }
    long[] all = clients.stream().flatMapToLong(c -> Arrays.stream(c.latencies, 0, c.n)).sorted().toArray();
    double seconds = measureFrom == Long.MAX_VALUE ? 0 : (end - measureFrom) / 1e9;
    return new Result(label, all.length, errors.get(), seconds, all);
  }

  private static byte[] value(int bytes) {
    byte[] v = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      v[i] = (byte) ('a' + i % 26);
    }
    return v;
  }

  private final class Client implements Runnable {
    final int id;
    final Thread thread;
    long[] latencies = new long[1 << 14];
    int n;

    Client(int id) {
      this.id = id;
      this.thread = new Thread(this, "kv-load-" + id);
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      int endpoint = id;
      HttpConnection c = new HttpConnection("127.0.0.1", target.portFor(endpoint), timeoutMillis);
      for (long i = 0; running; i++) {
        String key = "bench-" + id + "-" + (i % KEYS_PER_CLIENT);
        long t0 = System.nanoTime();
        boolean ok;
        try {
          ok = target.put(c, key, value);
        } catch (IOException e) {
          ok = false;
        }
        record(t0, System.nanoTime(), ok);
        if (!ok) {
          // As etcd's client does: after a failure, try the next endpoint (one LB address: the same one).
          c.close();
          c = new HttpConnection("127.0.0.1", target.portFor(++endpoint), timeoutMillis);
        }
      }
      c.close();
    }

    private void record(long t0, long t1, boolean ok) {
      if (!ok) {
        if (t0 >= measureFrom) {
          errors.incrementAndGet();
        }
        // A refused connection fails at once; do not spin on a dead endpoint.
        sleepQuietly(t1 - t0 < 1_000_000 ? 5 : 0);
        return;
      }
      if (t0 >= watchFrom) {
        resumedAt.compareAndSet(0, t1);
      }
      if (t0 >= measureFrom && t1 <= stopAt) {
        if (n == latencies.length) {
          latencies = Arrays.copyOf(latencies, n * 2);
        }
        latencies[n++] = t1 - t0;
      }
    }
  }

  private static void sleepQuietly(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
