package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' {@code metadata} of a persisted object (v1 ObjectMeta); absent fields are omitted.
 * Timestamps are RFC 3339 strings as Kubernetes writes them ({@code 2024-05-01T10:00:00Z}).
 * Labels, annotations and finalizers are never null: empty when absent.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ObjectMeta(
    String name,
    String generateName,
    String namespace,
    String uid,
    String resourceVersion,
    Long generation,
    @Rfc3339 String creationTimestamp,
    @Rfc3339 String deletionTimestamp,
    Long deletionGracePeriodSeconds,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<String> finalizers) {

  public ObjectMeta {
    labels = Frozen.map(labels);
    annotations = Frozen.map(annotations);
    finalizers = Frozen.list(finalizers);
  }

  /** The shape the control plane builds objects with before generation, deletion and finalizers existed. */
  public ObjectMeta(
      String name,
      String namespace,
      String uid,
      String resourceVersion,
      String creationTimestamp,
      Map<String, String> labels,
      Map<String, String> annotations) {
    this(name, null, namespace, uid, resourceVersion, null, creationTimestamp, null, null,
        labels, annotations, List.of());
  }

  public static ObjectMeta named(String name) {
    return new ObjectMeta(name, null, null, null, null, Map.of(), Map.of());
  }

  public static ObjectMeta named(String namespace, String name) {
    return new ObjectMeta(name, namespace, null, null, null, Map.of(), Map.of());
  }

  public ObjectMeta withName(String newName) {
    return new ObjectMeta(newName, generateName, namespace, uid, resourceVersion, generation,
        creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, finalizers);
  }

  public ObjectMeta withNamespace(String newNamespace) {
    return new ObjectMeta(name, generateName, newNamespace, uid, resourceVersion, generation,
        creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, finalizers);
  }

  public ObjectMeta withUid(String newUid) {
    return new ObjectMeta(name, generateName, namespace, newUid, resourceVersion, generation,
        creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, finalizers);
  }

  public ObjectMeta withResourceVersion(String newResourceVersion) {
    return new ObjectMeta(name, generateName, namespace, uid, newResourceVersion, generation,
        creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, finalizers);
  }

  public ObjectMeta withGeneration(Long newGeneration) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, newGeneration,
        creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, finalizers);
  }

  public ObjectMeta withCreationTimestamp(String timestamp) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation,
        timestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, finalizers);
  }

  /** Marks the object terminating, as Kubernetes' graceful delete sets both fields together. */
  public ObjectMeta withDeletion(String timestamp, Long gracePeriodSeconds) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation,
        creationTimestamp, timestamp, gracePeriodSeconds, labels, annotations, finalizers);
  }

  public ObjectMeta withLabels(Map<String, String> newLabels) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation,
        creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, newLabels, annotations, finalizers);
  }

  public ObjectMeta withAnnotations(Map<String, String> newAnnotations) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation,
        creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, newAnnotations, finalizers);
  }

  public ObjectMeta withFinalizers(List<String> newFinalizers) {
    return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation,
        creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, newFinalizers);
  }

  /** Terminating, in Kubernetes' sense: a deletion timestamp is set. */
  @JsonIgnore
  public boolean isTerminating() {
    return deletionTimestamp != null;
  }
}
