package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Kubernetes' v1 {@code Namespace}: a name scope for pods and the unit quota is counted in. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Namespace(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status) {

  public Namespace(ObjectMeta metadata, Spec spec, Status status) {
    this("v1", "Namespace", metadata, spec, status);
  }

  public static Namespace named(String name) {
    return new Namespace(ObjectMeta.named(name), null, null);
  }

  /** {@code spec.finalizers}: what must finish before the namespace is gone ({@code kubernetes}). */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Spec(List<String> finalizers) {
    public Spec {
      finalizers = Frozen.list(finalizers);
    }
  }

  /** {@code status.phase}: {@code Active} or {@code Terminating}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(String phase) {}
}
