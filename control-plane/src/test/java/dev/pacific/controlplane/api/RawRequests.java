package dev.pacific.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Requests no HTTP client library sends: written to a socket byte for byte. */
final class RawRequests {
  record Raw(String name, String request, int code) {}

  static List<Raw> rows() {
    String host = "Host: 127.0.0.1\r\n";
    return List.of(
        new Raw("a request line with no version", "GET /api/v1/namespaces\r\n\r\n", 400),
        new Raw("an HTTP version that does not exist", "GET /api/v1/namespaces HTTP/7.0\r\n" + host + "\r\n", 400),
        new Raw("a method HTTP does not have", "FROB /api/v1/namespaces HTTP/1.1\r\n" + host
            + "Connection: close\r\n\r\n", 405),
        new Raw("bad percent-encoding in the path", "GET /api/v1/namespaces/%zz HTTP/1.1\r\n" + host
            + "Connection: close\r\n\r\n", 400),
        new Raw("a header without a colon", "GET /api/v1/namespaces HTTP/1.1\r\n" + host + "Broken header\r\n"
            + "Connection: close\r\n\r\n", 400),
        new Raw("a Content-Length that is not a number", "POST /api/v1/namespaces HTTP/1.1\r\n" + host
            + "Content-Type: application/json\r\nContent-Length: many\r\nConnection: close\r\n\r\n{}", 400),
        new Raw("a URI over the limit", "GET /api/v1/namespaces/" + "a".repeat(5000) + " HTTP/1.1\r\n" + host
            + "Connection: close\r\n\r\n", 414),
        new Raw("a header over the limit", "GET /api/v1/namespaces HTTP/1.1\r\n" + host + "X-Big: "
            + "b".repeat(10000) + "\r\nConnection: close\r\n\r\n", 431));
  }

  static void check(RegistryApiServer api, Raw r) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", api.binding.localAddress().getPort())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(r.request().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      String statusLine = response.lines().findFirst().orElse("");
      assertTrue(statusLine.startsWith("HTTP/1.1 " + r.code()), r.name() + ": " + statusLine);
      String body = response.substring(response.indexOf("\r\n\r\n") + 4);
      JsonNode status = RegistryApiServer.JSON.readTree(body);
      assertEquals("Status", status.path("kind").asText(), body);
      assertEquals(r.code(), status.path("code").asInt());
    assertEquals(dev.pacific.http.ErrorResponses.reasonFor(r.code()), status.path("reason").asText(), body);
    }
  }
}
