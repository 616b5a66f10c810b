package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Kubernetes' v1 {@code ResourceQuota}: the most a namespace may hold ({@code spec.hard}: pods,
 * requests.cpu, requests.memory, limits.cpu, limits.memory) and what it holds now ({@code status.used}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceQuota(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status) {

  public ResourceQuota(ObjectMeta metadata, Spec spec, Status status) {
    this("v1", "ResourceQuota", metadata, spec, status);
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Spec(ResourceList hard) {
    public Spec {
      hard = Frozen.resources(hard);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Status(ResourceList hard, ResourceList used) {
    public Status {
      hard = Frozen.resources(hard);
      used = Frozen.resources(used);
    }
  }
}
