package dev.pacific.controlplane.lb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in API server for balancer tests: answers {@code GET /readyz} and {@code GET
 * /healthz} like a member does, and echoes any other connection byte for byte until the client
 * half-closes, then closes its own side. It can be stopped (closing every connection) and
 * started again on the same port.
 */
final class FakeApiServer implements AutoCloseable {

  private final int port;
  private final AtomicInteger echoConnections = new AtomicInteger();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean ready = true;
  private volatile ServerSocket listener;

  FakeApiServer() throws IOException {
    ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.port = probe.getLocalPort();
    probe.close();
    start();
  }

  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  int echoConnections() {
    return echoConnections.get();
  }

  void ready(boolean value) {
    ready = value;
  }

  synchronized void start() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    listener = s;
    Thread t = new Thread(() -> accept(s), "fake-api-" + port);
    t.setDaemon(true);
    t.start();
  }

  /** Closes the listener and every connection, as a killed process would. */
  synchronized void stop() throws IOException {
    listener.close();
    for (Socket c : open) {
      c.close();
    }
    open.clear();
  }

  @Override
  public void close() throws IOException {
    stop();
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket c = s.accept();
        open.add(c);
        Thread t = new Thread(() -> serve(c), "fake-api-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket c) {
    try (c) {
      InputStream in = c.getInputStream();
      OutputStream out = c.getOutputStream();
      byte[] head = in.readNBytes(4);
      if (new String(head, StandardCharsets.US_ASCII).equals("GET ")) {
        answerProbe(in, out);
        return;
      }
      echoConnections.incrementAndGet();
      out.write(head);
      in.transferTo(out);
      out.flush();
      c.shutdownOutput();
    } catch (IOException e) {
      // the client or the test closed the connection: nothing to answer
    } finally {
      open.remove(c);
    }
  }

  private void answerProbe(InputStream in, OutputStream out) throws IOException {
    StringBuilder request = new StringBuilder("GET ");
    while (!request.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        return;
      }
      request.append((char) b);
    }
    boolean readyz = request.toString().startsWith("GET /readyz");
    String status = readyz && !ready ? "503 Service Unavailable" : "200 OK";
    out.write(("HTTP/1.1 " + status + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }
}
