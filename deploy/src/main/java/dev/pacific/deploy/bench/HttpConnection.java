package dev.pacific.deploy.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One kept-alive HTTP/1.1 connection, as a benchmark client holds it: a request is written whole
 * and its answer read before the next. Any failure (refused, reset, time-out) closes the socket,
 * so the next request opens a fresh one — what a real client does after a time-out, since a late
 * answer would otherwise be taken for the next request's. Not thread-safe: one per client thread.
 */
public final class HttpConnection implements AutoCloseable {

  /** A status and the whole body. */
  public record Response(int code, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final String host;
  private final int port;
  private final int timeoutMillis;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  /** {@code timeoutMillis} bounds the connect and every read; 0 waits forever. */
  public HttpConnection(String host, int port, int timeoutMillis) {
    this.host = host;
    this.port = port;
    this.timeoutMillis = timeoutMillis;
  }

  public Response send(String method, String target, byte[] body) throws IOException {
    return send(method, target, "application/octet-stream", body);
  }

  public Response send(String method, String target, String contentType, byte[] body) throws IOException {
    try {
      open();
      out.write(head(method, target, contentType, body.length));
      out.write(body);
      out.flush();
      return read();
    } catch (IOException | RuntimeException e) {
      close();
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }

  private void open() throws IOException {
    if (socket != null) {
      return;
    }
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setSoTimeout(timeoutMillis);
    s.connect(new InetSocketAddress(host, port), timeoutMillis);
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
    out = s.getOutputStream();
  }

  private byte[] head(String method, String target, String contentType, int length) {
    return (method + " " + target + " HTTP/1.1\r\nHost: " + host + ":" + port
        + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + length + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private Response read() throws IOException {
    String status = line();
    if (!status.startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean closeAfter = false;
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      String name = colon < 0 ? h : h.substring(0, colon).trim();
      String value = colon < 0 ? "" : h.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
        chunked = value.toLowerCase().contains("chunked");
      } else if (name.equalsIgnoreCase("Connection")) {
        closeAfter = value.equalsIgnoreCase("close");
      }
    }
    byte[] body = chunked ? chunkedBody() : exactly(Math.max(0, length));
    if (closeAfter) {
      close();
    }
    return new Response(code, body);
  }

  private byte[] chunkedBody() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    while (true) {
      String size = line();
      int semi = size.indexOf(';');
      int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
      if (n == 0) {
        while (!line().isEmpty()) {
          // trailers: none of interest
        }
        return all.toByteArray();
      }
      all.write(exactly(n));
      line();
    }
  }

  private byte[] exactly(long n) throws IOException {
    byte[] b = in.readNBytes((int) n);
    if (b.length != n) {
      throw new IOException("connection closed after " + b.length + " of " + n + " body bytes");
    }
    return b;
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed mid-response");
      }
      if (b == '\n') {
        int len = sb.length();
        return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
      }
      sb.append((char) b);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing after a failure or at the end: nothing left to do
      }
    }
    socket = null;
    in = null;
    out = null;
  }
}
