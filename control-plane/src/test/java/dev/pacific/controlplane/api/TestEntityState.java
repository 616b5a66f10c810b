package dev.pacific.controlplane.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.pacific.api.Json;
import dev.pacific.api.Namespace;
import dev.pacific.api.Node;
import dev.pacific.api.Pod;
import dev.pacific.api.ResourceQuota;
import dev.pacific.controlplane.entities.EntityState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test-only entity state: the object and a namespace's quotas as JSON text, so that Pekko's
 * Jackson serializer (bound in the tests' configuration) stores it without knowing the API types.
 * The registry reader sees it only through {@link EntityState}, as it will see the real entities.
 */
public record TestEntityState(String kind, String json, Map<String, String> quotaJson) implements EntityState {

  private static final Map<String, Class<?>> TYPES = Map.of("Pod", Pod.class, "Namespace", Namespace.class,
      "Node", Node.class);

  static TestEntityState of(Object object, Map<String, ResourceQuota> quotas) {
    Map<String, String> quotaJson = new TreeMap<>();
    quotas.forEach((name, q) -> quotaJson.put(name, new String(Json.write(q), java.nio.charset.StandardCharsets.UTF_8)));
    return new TestEntityState(object.getClass().getSimpleName(),
        new String(Json.write(object), java.nio.charset.StandardCharsets.UTF_8), quotaJson);
  }

  @Override
  @JsonIgnore
  public Object object() {
    return read(json, TYPES.get(kind));
  }

  @Override
  @JsonIgnore
  public Map<String, ResourceQuota> quotas() {
    Map<String, ResourceQuota> out = new LinkedHashMap<>();
    quotaJson.forEach((name, json) -> out.put(name, read(json, ResourceQuota.class)));
    return out;
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
