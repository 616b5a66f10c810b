package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** Kubernetes' {@code metadata} of a persisted object (v1 ObjectMeta); absent fields are omitted. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ObjectMeta(
    String name,
    String namespace,
    String uid,
    String resourceVersion,
    String creationTimestamp,
    Map<String, String> labels,
    Map<String, String> annotations) {

  public static ObjectMeta named(String name) {
    return new ObjectMeta(name, null, null, null, null, Map.of(), Map.of());
  }
}
