package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Kubernetes' v1 {@code Pod}. Scheduled means {@code spec.nodeName} is set and condition
 * {@code PodScheduled} is True; terminating means {@code metadata.deletionTimestamp} is set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Pod(String apiVersion, String kind, ObjectMeta metadata, PodSpec spec, PodStatus status) {

  public Pod(ObjectMeta metadata, PodSpec spec, PodStatus status) {
    this("v1", "Pod", metadata, spec, status);
  }

  public Pod withMetadata(ObjectMeta newMetadata) {
    return new Pod(apiVersion, kind, newMetadata, spec, status);
  }

  public Pod withSpec(PodSpec newSpec) {
    return new Pod(apiVersion, kind, metadata, newSpec, status);
  }

  public Pod withStatus(PodStatus newStatus) {
    return new Pod(apiVersion, kind, metadata, spec, newStatus);
  }
}
