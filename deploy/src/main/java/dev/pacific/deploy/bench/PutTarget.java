package dev.pacific.deploy.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Where a benchmark client sends its puts and how a put is spelled there. Both sides get the same
 * keys and values, so the figures compare the stores, not the requests.
 */
public interface PutTarget {

  /** A short name for the printed lines. */
  String name();

  /** The port (on 127.0.0.1) of endpoint number {@code n}, modulo the number of endpoints; client i starts at i. */
  int portFor(int n);

  /** One put over {@code c}; true when the store acknowledged it. */
  boolean put(HttpConnection c, String key, byte[] value) throws IOException;

  /** Pacific: {@code PUT /admin/v1/kv/{key}} with the raw value (CONTRACT.md), all through the LB. */
  static PutTarget pacific(String api) {
    return pacificMembers(List.of(URI.create(api).getPort()));
  }

  /**
   * Pacific through its control-plane members' own HTTP ports, the clients spread over them as etcd's
   * are over its endpoints (a member that fails a put sends the client on to the next).
   */
  static PutTarget pacificMembers(List<Integer> httpPorts) {
    return new PutTarget() {
      @Override
      public String name() {
        return "pacific";
      }

      @Override
      public int portFor(int n) {
        return httpPorts.get(Math.floorMod(n, httpPorts.size()));
      }

      @Override
      public boolean put(HttpConnection c, String key, byte[] value) throws IOException {
        return c.send("PUT", "/admin/v1/kv/" + URLEncoder.encode(key, StandardCharsets.UTF_8), value).code() == 200;
      }
    };
  }

  /**
   * etcd v3 through its HTTP/JSON gateway ({@code POST /v3/kv/put}, base64 key and value), the
   * clients spread over its endpoints as etcd's own client would spread them.
   */
  static PutTarget etcd(List<Integer> clientPorts) {
    Base64.Encoder b64 = Base64.getEncoder();
    return new PutTarget() {
      @Override
      public String name() {
        return "etcd";
      }

      @Override
      public int portFor(int n) {
        return clientPorts.get(Math.floorMod(n, clientPorts.size()));
      }

      @Override
      public boolean put(HttpConnection c, String key, byte[] value) throws IOException {
        String json = "{\"key\":\"" + b64.encodeToString(key.getBytes(StandardCharsets.UTF_8)) + "\",\"value\":\""
            + b64.encodeToString(value) + "\"}";
        return c.send("POST", "/v3/kv/put", json.getBytes(StandardCharsets.UTF_8)).code() == 200;
      }
    };
  }
}
