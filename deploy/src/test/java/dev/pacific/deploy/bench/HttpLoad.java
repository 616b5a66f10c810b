package dev.pacific.deploy.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small closed-loop HTTP/1.1 load generator: {@code clients} threads each send {@code GET
 * path} and wait for the answer, over one kept-alive connection or a new connection per request.
 */
final class HttpLoad {

  record Result(String label, long requests, long errors, double seconds, long[] sortedLatenciesNanos) {
    double perSecond() {
      return requests / seconds;
    }

    double percentileMillis(double p) {
      if (sortedLatenciesNanos.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.ceil(p / 100.0 * sortedLatenciesNanos.length) - 1;
      return sortedLatenciesNanos[Math.max(0, Math.min(sortedLatenciesNanos.length - 1, i))] / 1e6;
    }

    String line() {
      return String.format("%-40s %8.0f req/s   p50 %7.3f ms   p99 %7.3f ms   errors %d", label, perSecond(),
          percentileMillis(50), percentileMillis(99), errors);
    }
  }

  private HttpLoad() {}

  static Result run(String label, int port, String path, int clients, double warmupSeconds, double seconds,
      boolean keepAlive) throws InterruptedException {
    byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (keepAlive ? "" : "Connection: close\r\n")
        + "\r\n").getBytes(StandardCharsets.US_ASCII);
    long measureFrom = System.nanoTime() + (long) (warmupSeconds * 1e9);
    long end = measureFrom + (long) (seconds * 1e9);
    AtomicLong errors = new AtomicLong();
    List<long[]> results = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Thread t = new Thread(() -> {
        long[] mine = loop(port, request, keepAlive, measureFrom, end, errors);
        synchronized (results) {
          results.add(mine);
        }
      }, "load-" + c);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    long[] all = results.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    return new Result(label, all.length, errors.get(), seconds, all);
  }

  private static long[] loop(int port, byte[] request, boolean keepAlive, long measureFrom, long end,
      AtomicLong errors) {
    long[] latencies = new long[1 << 14];
    int n = 0;
    Socket socket = null;
    InputStream in = null;
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      try {
        if (socket == null) {
          socket = new Socket("127.0.0.1", port);
          socket.setTcpNoDelay(true);
          socket.setSoTimeout(10_000);
          in = new BufferedInputStream(socket.getInputStream(), 8192);
        }
        socket.getOutputStream().write(request);
        readResponse(in);
        if (!keepAlive) {
          socket.close();
          socket = null;
        }
      } catch (IOException e) {
        errors.incrementAndGet();
        closeQuietly(socket);
        socket = null;
        continue;
      }
      long t1 = System.nanoTime();
      if (t0 >= measureFrom && t1 <= end) {
        if (n == latencies.length) {
          latencies = Arrays.copyOf(latencies, n * 2);
        }
        latencies[n++] = t1 - t0;
      }
    }
    closeQuietly(socket);
    return Arrays.copyOf(latencies, n);
  }

  /** Reads one response: a 200 status line, headers, then Content-Length bytes of body. */
  private static void readResponse(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int contentLength = 0;
    boolean first = true;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed mid-response");
      }
      if (b != '\n') {
        line.append((char) b);
        continue;
      }
      String l = line.toString().trim();
      line.setLength(0);
      if (l.isEmpty()) {
        break;
      }
      if (first && !l.startsWith("HTTP/1.1 200")) {
        throw new IOException("unexpected status: " + l);
      }
      first = false;
      if (l.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        contentLength = Integer.parseInt(l.substring(15).trim());
      }
    }
    if (in.readNBytes(contentLength).length != contentLength) {
      throw new IOException("short body");
    }
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing after a failure or at the end
      }
    }
  }
}
